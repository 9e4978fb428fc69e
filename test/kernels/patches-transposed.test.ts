/**
 * The transposed im2col copy, on hand-computed cases (no tfjs involved).
 */
import { describe, expect, it } from 'vitest';
import { patchesSize, writePatchesTransposed, type PatchGeometry } from '../../src/model/kernels/patches-transposed.js';

/** Geometry of a 1-row input of width 4 with one channel and one image, filter width 3. */
const row = (over: Partial<PatchGeometry>): PatchGeometry => ({
  batch: 1, inChannels: 1, inHeight: 1, inWidth: 4, outHeight: 1, outWidth: 4,
  filterHeight: 1, filterWidth: 3, strideHeight: 1, strideWidth: 1, padTop: 0, padLeft: 1, ...over,
});

/** Runs the copy with the input at offset 2 and the output after it, in one "heap". */
function patches(input: number[], g: PatchGeometry): number[] {
  const heap = new Float32Array(2 + input.length + patchesSize(g)).fill(-9); // -9: garbage to overwrite
  heap.set(input, 2);
  writePatchesTransposed(heap, 2, 2 + input.length, g);
  expect(Array.from(heap.subarray(2, 2 + input.length))).toEqual(input); // input untouched
  return Array.from(heap.subarray(2 + input.length));
}

describe('writePatchesTransposed', () => {
  it('same padding, stride 1: one shifted row per tap, zeros in the padding', () => {
    expect(patches([1, 2, 3, 4], row({}))).toEqual([0, 1, 2, 3, 1, 2, 3, 4, 2, 3, 4, 0]);
  });

  it('stride 2 takes every other input column', () => {
    // iw = 2*ow + kw - 1 for ow in {0, 1}
    expect(patches([1, 2, 3, 4], row({ outWidth: 2, strideWidth: 2 }))).toEqual([0, 2, 1, 3, 2, 4]);
  });

  it('orders rows (kh, kw, channel) and columns (image, oh, ow)', () => {
    // Channels-first input [C=2, N=2, H=2, W=1]: value = 1000c + 100n + 10h.
    const input = [0, 10, 100, 110, 1000, 1010, 1100, 1110];
    const g: PatchGeometry = {
      batch: 2, inChannels: 2, inHeight: 2, inWidth: 1, outHeight: 2, outWidth: 1,
      filterHeight: 2, filterWidth: 1, strideHeight: 1, strideWidth: 1, padTop: 0, padLeft: 0,
    };
    // valid-ish with outHeight 2: kh = 1 at oh = 1 falls below the input (zero).
    expect(patches(input, g)).toEqual([
      0, 10, 100, 110, 1000, 1010, 1100, 1110, // kh 0: c0 (n0 oh0, n0 oh1, n1 oh0, n1 oh1), c1
      10, 0, 110, 0, 1010, 0, 1110, 0, // kh 1
    ]);
  });

  it('a filter wider than the padded row leaves whole rows zero', () => {
    expect(patches([5, 6], row({ inWidth: 2, outWidth: 1, filterWidth: 4, padLeft: 2 }))).toEqual([0, 0, 5, 6]);
  });

  it('1-D, stride 1, same width (one block move per row over all images): the formula\'s values for many shapes', () => {
    let checked = 0;
    for (let batch = 1; batch <= 4; batch++) {
      for (let inChannels = 1; inChannels <= 3; inChannels++) {
        for (let width = 1; width <= 7; width++) {
          for (let filterWidth = 1; filterWidth <= 6; filterWidth++) {
            for (const padLeft of [0, Math.floor((filterWidth - 1) / 2), filterWidth - 1, filterWidth + 1]) {
              const g = row({ batch, inChannels, inWidth: width, outWidth: width, filterWidth, padLeft });
              // Channels-first input [C, N, 1, W]: value = 100c + 10n + w + 1 (never 0).
              const input = Array.from({ length: inChannels * batch * width }, (_, i) => 100 * Math.floor(i / (batch * width)) + 10 * Math.floor((i % (batch * width)) / width) + (i % width) + 1);
              const expected: number[] = [];
              for (let kw = 0; kw < filterWidth; kw++) {
                for (let c = 0; c < inChannels; c++) {
                  for (let n = 0; n < batch; n++) {
                    for (let ow = 0; ow < width; ow++) {
                      const iw = ow + kw - padLeft;
                      expected.push(iw >= 0 && iw < width ? input[(c * batch + n) * width + iw] : 0);
                    }
                  }
                }
              }
              expect(patches(input, g)).toEqual(expected);
              checked++;
            }
          }
        }
      }
    }
    expect(checked).toBe(4 * 3 * 7 * 6 * 4);
  });
});
