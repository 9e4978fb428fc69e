/**
 * The ReLU → MaxPool(2) gradient kernel's loop equals the rule written out step by step (first
 * maximum of a window wins, a ReLU output of 0 passes nothing, an odd last step gets 0), on inputs
 * full of ties and zeros; its bias sums are bit for bit the float64 sums of the winners' gradients.
 */
import { describe, expect, it } from 'vitest';
import { reluMaxPoolGrad } from '../../src/model/kernels/relu-max-pool-grad.js';
import { openStream } from '../../src/core/seed-streams.js';

/** The rule with one branch per case, as the kernel computed it before it went branch-free. */
function byTheRule(y: Float32Array, dy: Float32Array, B: number, T: number, C: number) {
  const P = Math.floor(T / 2);
  const dz = new Float32Array(B * T * C);
  const sums = new Float64Array(C);
  for (let b = 0; b < B; b++) {
    for (let p = 0; p < P; p++) {
      for (let c = 0; c < C; c++) {
        const first = (b * T + 2 * p) * C + c;
        const second = first + C;
        const d = dy[(b * P + p) * C + c];
        const winner = y[second] > y[first] ? second : y[first] > 0 ? first : -1;
        if (winner >= 0) {
          dz[winner] = d;
          sums[c] += d;
        }
      }
    }
  }
  return { dz, dBias: Float32Array.from(sums) };
}

/** Values drawn from a few levels (ReLU outputs: many exact zeros and ties) or signed gradients. */
function values(n: number, key: string, levels: number[] | null): Float32Array {
  const stream = openStream(key);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = levels === null ? stream.next() * 2 - 1 : levels[Math.floor(stream.next() * levels.length)];
  return out;
}

describe('reluMaxPoolGrad (branch-free loop)', () => {
  const shapes = [
    [1, 2, 1], [2, 7, 3], [3, 10, 5], [4, 1, 2], [16, 91, 32], [16, 45, 64], [5, 22, 128],
  ] as const;
  for (const [B, T, C] of shapes) {
    it(`matches the rule for B${B} T${T} C${C}`, () => {
      const y = values(B * T * C, `y/${B}/${T}/${C}`, [0, 0, 0, 0.25, 0.5, 1]);
      const dy = values(B * Math.floor(T / 2) * C, `dy/${B}/${T}/${C}`, null);
      const dz = new Float32Array(B * T * C).fill(Number.NaN);
      const dBias = new Float32Array(C).fill(Number.NaN);
      reluMaxPoolGrad(y, dy, dz, dBias, B, T, C);
      const expected = byTheRule(y, dy, B, T, C);
      // Equal values (a loser's zero may carry a sign; every consumer adds it to a +0-started sum).
      expect(Array.from(dz, (v) => v + 0)).toEqual(Array.from(expected.dz));
      expect(Buffer.from(dBias.buffer).equals(Buffer.from(expected.dBias.buffer))).toBe(true);
    });
  }

  it('gives the whole gradient to the first step of a tie, and none to a window of zeros', () => {
    const y = Float32Array.from([2, 2, 0, 0, 0, 3]);
    const dy = Float32Array.from([5, 7, 9]);
    const dz = new Float32Array(6);
    const dBias = new Float32Array(1);
    reluMaxPoolGrad(y, dy, dz, dBias, 1, 6, 1);
    expect(Array.from(dz, (v) => v + 0)).toEqual([5, 0, 0, 0, 0, 9]);
    expect(dBias[0]).toBe(14);
  });
});
