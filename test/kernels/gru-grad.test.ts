/**
 * The fused GRU op (direct heap matMuls per step, bias sums inside the backward loop): forward and
 * all four gradients equal a plain-ops GRU differentiated by tfjs on the cpu backend, and a float64
 * finite difference, on random shapes (odd sizes, one unit, one input feature) with a length mask applied by
 * a masked mean over time, as in the models.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend, type BackendName } from '../../src/model/backend.js';
import { gru } from '../../src/model/fast-gru.js';
import { finiteDifferenceError, randomArray, relativeError } from './grad-check.js';
import { referenceGru } from '../helpers/reference-gru.js';

interface Shape { B: number; T: number; inDim: number; u: number }
const SHAPES: Shape[] = [
  { B: 2, T: 5, inDim: 3, u: 4 },
  { B: 3, T: 7, inDim: 5, u: 3 },
  { B: 1, T: 2, inDim: 1, u: 1 },
  { B: 5, T: 9, inDim: 6, u: 5 },
];

function caseData(s: Shape, key: string) {
  const mask = new Float32Array(s.B * s.T);
  for (let b = 0; b < s.B; b++) mask.fill(1, b * s.T, b * s.T + ((b * 3) % s.T) + 1);
  return {
    x: randomArray(s.B * s.T * s.inDim, `${key}/x`),
    w: randomArray(s.inDim * 3 * s.u, `${key}/w`, 0.6),
    rec: randomArray(s.u * 3 * s.u, `${key}/u`, 0.6),
    bias: randomArray(6 * s.u, `${key}/b`, 0.3),
    r: randomArray(s.B * s.u, `${key}/r`),
    mask,
  };
}
type Data = ReturnType<typeof caseData>;

async function run(backend: BackendName, s: Shape, d: Data, ours: boolean) {
  await initBackend(backend);
  return tf.tidy(() => {
    const inputs = [
      tf.tensor3d(d.x, [s.B, s.T, s.inDim]),
      tf.tensor2d(d.w, [s.inDim, 3 * s.u]),
      tf.tensor2d(d.rec, [s.u, 3 * s.u]),
      tf.tensor2d(d.bias, [2, 3 * s.u]),
    ];
    const mask = tf.tensor2d(d.mask, [s.B, s.T]);
    const weight = tf.tensor2d(d.r, [s.B, s.u]);
    const f = ours ? gru : referenceGru;
    const loss = (x: tf.Tensor, w: tf.Tensor, u: tf.Tensor, b: tf.Tensor) => {
      const states = f(x as tf.Tensor3D, w as tf.Tensor2D, u as tf.Tensor2D, b as tf.Tensor2D);
      const pooled = tf.div(tf.sum(tf.mul(states, tf.expandDims(mask, 2)), 1), tf.maximum(tf.sum(mask, 1, true), 1));
      return tf.sum(tf.mul(pooled, weight)) as tf.Scalar;
    };
    const out = f(...(inputs as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D])).dataSync().slice();
    const grads = tf.grads(loss)(inputs).map((g) => g.dataSync().slice() as Float32Array);
    return { out, grads };
  });
}

/** Float64 reference of the same loss, for finite differences. */
function referenceLoss(s: Shape, x: Float64Array, w: Float64Array, rec: Float64Array, bias: Float64Array, d: Data): number {
  const { B, T, inDim, u } = s;
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  let loss = 0;
  for (let b = 0; b < B; b++) {
    let h = new Float64Array(u);
    const sum = new Float64Array(u);
    let count = 0;
    for (let t = 0; t < T; t++) {
      const xp = new Float64Array(3 * u);
      const hp = new Float64Array(3 * u);
      for (let g = 0; g < 3 * u; g++) {
        xp[g] = bias[g];
        hp[g] = bias[3 * u + g];
        for (let i = 0; i < inDim; i++) xp[g] += x[(b * T + t) * inDim + i] * w[i * 3 * u + g];
        for (let i = 0; i < u; i++) hp[g] += h[i] * rec[i * 3 * u + g];
      }
      const next = new Float64Array(u);
      for (let j = 0; j < u; j++) {
        const z = sig(xp[j] + hp[j]);
        const r = sig(xp[u + j] + hp[u + j]);
        const n = Math.tanh(xp[2 * u + j] + r * hp[2 * u + j]);
        next[j] = (1 - z) * n + z * h[j];
      }
      h = next;
      const m = d.mask[b * T + t];
      count += m;
      for (let j = 0; j < u; j++) sum[j] += m * h[j];
    }
    for (let j = 0; j < u; j++) loss += (sum[j] / Math.max(count, 1)) * d.r[b * u + j];
  }
  return loss;
}

describe('fused GRU op gradients', () => {
  SHAPES.forEach((s, i) => {
    it(`matches cpu autodiff and finite differences for B${s.B} T${s.T} in${s.inDim} u${s.u}`, async () => {
      const d = caseData(s, `gru-grad/${i}`);
      const reference = await run('cpu', s, d, false);
      for (const backend of ['cpu', 'wasm'] as const) {
        const got = await run(backend, s, d, true);
        expect(relativeError(got.out, reference.out), `${backend} forward`).toBeLessThan(1e-5);
        ['x', 'kernel', 'recurrent_kernel', 'bias'].forEach((name, g) => {
          expect(relativeError(got.grads[g], reference.grads[g]), `${backend} d${name}`).toBeLessThan(1e-4);
        });
      }
      const wasm = await run('wasm', s, d, true);
      const arrays = [d.x, d.w, d.rec, d.bias].map((a) => Float64Array.from(a));
      const loss = () => referenceLoss(s, arrays[0], arrays[1], arrays[2], arrays[3], d);
      arrays.forEach((values, g) => {
        expect(finiteDifferenceError(loss, values, wasm.grads[g], 16, `gru-fd/${i}/${g}`), `fd ${g}`).toBeLessThan(1e-3);
      });
    });
  });
});
