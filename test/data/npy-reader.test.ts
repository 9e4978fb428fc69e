/** The NPY reader: headers v1/v2/v3 written by numpy, chunked streaming, refused dtypes and layouts. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '../../src/core/errors.js';
import { readNpyFloatsInto, readNpyHeader, readNpyInts } from '../../src/data/npy/npy-file.js';
import { npyBytes, type NpyWriteOptions } from './npy-writer.js';

const TOY = join(import.meta.dirname, '..', 'fixtures', 'npy', 'toy');
const dir = mkdtempSync(join(tmpdir(), 'npy-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

function write(descr: string, shape: number[], data: ArrayBufferView, opts?: NpyWriteOptions): string {
  const file = join(dir, `a${counter++}.npy`);
  writeFileSync(file, npyBytes(descr, shape, data, opts));
  return file;
}

function headerError(file: string): DataError {
  try {
    readNpyHeader(file);
  } catch (err) {
    expect(err).toBeInstanceOf(DataError);
    return err as DataError;
  }
  throw new Error('expected a DataError');
}

describe('NPY headers written by numpy (fixture)', () => {
  it('v1 float32, v2 float64, v3 int64', () => {
    expect(readNpyHeader(join(TOY, 'audio.npy'))).toMatchObject({ descr: '<f4', shape: [56, 30, 8], fortranOrder: false, dataOffset: 128 });
    expect(readNpyHeader(join(TOY, 'video.npy'))).toMatchObject({ descr: '<f8', kind: 'f8', itemSize: 8, shape: [56, 4, 12] });
    const lengths = readNpyHeader(join(TOY, 'audio_lengths.npy'));
    expect(lengths).toMatchObject({ descr: '<i8', shape: [56] });
    expect(lengths.dataOffset % 64).toBe(0);
    expect(readNpyInts(join(TOY, 'audio_lengths.npy'), lengths, 'lengths').every((v) => v >= 10 && v <= 30)).toBe(true);
  });
});

describe('streaming floats into a Float32Array', () => {
  it('float32 across several 8 MiB chunks, into an offset view of a SharedArrayBuffer', () => {
    const n = 2_100_003;
    const values = Float32Array.from({ length: n }, (_, i) => (i % 1000) / 8);
    const file = write('<f4', [n], values);
    const target = new Float32Array(new SharedArrayBuffer((n + 4) * 4), 16, n);
    readNpyFloatsInto(file, readNpyHeader(file), target);
    expect(target[0]).toBe(0);
    expect(target[2_097_152]).toBe(values[2_097_152]); // first value of the second chunk
    expect(target[n - 1]).toBe(values[n - 1]);
  });

  it('float64 converts to float32 across chunk boundaries (v3 header)', () => {
    const n = 1_048_580;
    const values = Float64Array.from({ length: n }, (_, i) => i / 3);
    const file = write('<f8', [n], values, { version: 3 });
    const target = new Float32Array(n);
    readNpyFloatsInto(file, readNpyHeader(file), target);
    for (const i of [0, 1, 1_048_575, 1_048_576, n - 1]) expect(target[i]).toBe(Math.fround(values[i]));
  });

  it('int64 values that do not fit int32 are refused', () => {
    const file = write('<i8', [2], new BigInt64Array([1n, 1n << 40n]));
    expect(() => readNpyInts(file, readNpyHeader(file), 'labels')).toThrow(/\[item #1\]: labels: 1099511627776 does not fit in int32/);
  });
});

describe('refused files', () => {
  const f4 = new Float32Array(6);
  it('big-endian, unsupported dtypes and structured arrays', () => {
    expect(headerError(write('>f4', [6], f4)).problem).toMatch(/big-endian/);
    expect(headerError(write('<i2', [12], f4)).problem).toMatch(/<i2 is not supported/);
    expect(headerError(write('|u1', [24], f4)).problem).toMatch(/\|u1 is not supported/);
    const structured = write('', [], f4, { headerText: "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (6,), }" });
    expect(headerError(structured).field).toBe('npy header.descr');
  });

  it('Fortran order, truncated data, bad magic, unknown version', () => {
    expect(headerError(write('<f4', [2, 3], f4, { fortranOrder: true })).field).toBe('npy header.fortran_order');
    expect(readNpyHeader(write('<f4', [6, 1], f4, { fortranOrder: true })).shape).toEqual([6, 1]); // one non-unit dim: same bytes
    expect(headerError(write('<f4', [7], f4)).problem).toMatch(/truncated: 152 bytes, shape \[7\] needs 156/);
    const junk = join(dir, 'junk.npy');
    writeFileSync(junk, 'not numpy at all');
    expect(headerError(junk).problem).toMatch(/no \\x93NUMPY magic/);
    const v4 = npyBytes('<f4', [6], f4);
    v4[6] = 4;
    writeFileSync(junk, v4);
    expect(headerError(junk).problem).toMatch(/version 4\.0 is not supported/);
    expect(headerError(join(dir, 'nope.npy')).problem).toBe('missing (no such file)');
  });
});
