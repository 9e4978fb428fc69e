/**
 * The fused Conv1d + bias + ReLU + MaxPool(2) op: forward and all three gradients equal tfjs-layers'
 * unfused ops on the cpu backend, and a float64 finite difference, on random shapes (odd lengths,
 * odd and even kernels, a sequence shorter than the kernel) under a length mask on the output.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend, type BackendName } from '../../src/model/backend.js';
import { conv1dReluPool } from '../../src/model/conv1d-block.js';
import { finiteDifferenceError, randomArray, relativeError } from './grad-check.js';

interface Shape { B: number; T: number; cin: number; cout: number; k: number }
const SHAPES: Shape[] = [
  { B: 2, T: 7, cin: 3, cout: 4, k: 5 },
  { B: 3, T: 10, cin: 5, cout: 2, k: 3 },
  { B: 1, T: 9, cin: 4, cout: 3, k: 4 },
  { B: 2, T: 3, cin: 2, cout: 3, k: 5 },
  { B: 5, T: 16, cin: 8, cout: 6, k: 5 },
];

/** Inputs of one case: x, kernel, bias, the upstream weights R and a 0/1 length mask on pooled steps. */
function caseData(s: Shape, key: string) {
  const P = Math.floor(s.T / 2);
  const mask = new Float32Array(s.B * P);
  for (let b = 0; b < s.B; b++) mask.fill(1, b * P, b * P + Math.ceil((((b * 5) % s.T) + 1) / 2));
  return {
    x: randomArray(s.B * s.T * s.cin, `${key}/x`),
    w: randomArray(s.k * s.cin * s.cout, `${key}/w`, 0.5),
    b: randomArray(s.cout, `${key}/b`, 0.2),
    r: randomArray(s.B * P * s.cout, `${key}/r`),
    mask,
  };
}

type Data = ReturnType<typeof caseData>;

/** Output and gradients (x, kernel, bias) of Σ out·R·mask on `backend`, with our op or tfjs's ops. */
async function run(backend: BackendName, s: Shape, d: Data, ours: boolean) {
  await initBackend(backend);
  const P = Math.floor(s.T / 2);
  return tf.tidy(() => {
    const x = tf.tensor3d(d.x, [s.B, s.T, s.cin]);
    const w = tf.tensor3d(d.w, [s.k, s.cin, s.cout]);
    const bias = tf.tensor1d(d.b);
    const weight = tf.mul(tf.tensor3d(d.r, [s.B, P, s.cout]), tf.tensor3d(d.mask, [s.B, P, 1]));
    const forward = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor): tf.Tensor =>
      ours
        ? conv1dReluPool(xx as tf.Tensor3D, ww as tf.Tensor3D, bb as tf.Tensor1D)
        : tf.squeeze(tf.maxPool(tf.expandDims(tf.relu(tf.add(tf.conv1d(xx as tf.Tensor3D, ww as tf.Tensor3D, 1, 'same'), bb)), 1) as tf.Tensor4D, [1, 2], [1, 2], 'valid'), [1]);
    const out = forward(x, w, bias).dataSync().slice();
    const grads = tf.grads((xx, ww, bb) => tf.sum(tf.mul(forward(xx, ww, bb), weight)) as tf.Scalar)([x, w, bias]);
    return { out, grads: grads.map((g) => g.dataSync().slice() as Float32Array) };
  });
}

/** Float64 reference loss Σ out·R·mask for the finite differences ('same' padding, TensorFlow's split). */
function referenceLoss(s: Shape, x: Float64Array, w: Float64Array, b: Float64Array, d: Data): number {
  const P = Math.floor(s.T / 2);
  const left = Math.floor((s.k - 1) / 2);
  let loss = 0;
  const y = new Float64Array(s.T * s.cout);
  for (let n = 0; n < s.B; n++) {
    for (let t = 0; t < s.T; t++) {
      for (let o = 0; o < s.cout; o++) {
        let v = b[o];
        for (let j = 0; j < s.k; j++) {
          const src = t + j - left;
          if (src < 0 || src >= s.T) continue;
          for (let c = 0; c < s.cin; c++) v += x[(n * s.T + src) * s.cin + c] * w[(j * s.cin + c) * s.cout + o];
        }
        y[t * s.cout + o] = Math.max(0, v);
      }
    }
    for (let p = 0; p < P; p++) {
      for (let o = 0; o < s.cout; o++) {
        const m = Math.max(y[2 * p * s.cout + o], y[(2 * p + 1) * s.cout + o]);
        loss += m * d.r[(n * P + p) * s.cout + o] * d.mask[n * P + p];
      }
    }
  }
  return loss;
}

describe('conv1dReluPool (fused conv block)', () => {
  SHAPES.forEach((s, i) => {
    it(`matches cpu tfjs ops and finite differences for B${s.B} T${s.T} in${s.cin} out${s.cout} k${s.k}`, async () => {
      const d = caseData(s, `conv-block/${i}`);
      const reference = await run('cpu', s, d, false);
      for (const backend of ['cpu', 'wasm'] as const) {
        const got = await run(backend, s, d, true);
        expect(relativeError(got.out, reference.out), `${backend} forward`).toBeLessThan(1e-5);
        ['x', 'kernel', 'bias'].forEach((name, g) => {
          expect(relativeError(got.grads[g], reference.grads[g]), `${backend} d${name}`).toBeLessThan(1e-5);
        });
      }
      const wasm = await run('wasm', s, d, true);
      const x = Float64Array.from(d.x);
      const w = Float64Array.from(d.w);
      const b = Float64Array.from(d.b);
      const loss = () => referenceLoss(s, x, w, b, d);
      expect(finiteDifferenceError(loss, x, wasm.grads[0], 20, `fd/${i}/x`)).toBeLessThan(1e-3);
      expect(finiteDifferenceError(loss, w, wasm.grads[1], 20, `fd/${i}/w`)).toBeLessThan(1e-3);
      expect(finiteDifferenceError(loss, b, wasm.grads[2], s.cout, `fd/${i}/b`)).toBeLessThan(1e-3);
    });
  });

  it('returns a zero input gradient when asked not to compute it', async () => {
    await initBackend('wasm');
    const s = SHAPES[0];
    const d = caseData(s, 'conv-block/no-dx');
    const [dx, dw] = tf.grads((xx, ww, bb) =>
      tf.sum(conv1dReluPool(xx as tf.Tensor3D, ww as tf.Tensor3D, bb as tf.Tensor1D, false)) as tf.Scalar,
    )([tf.tensor3d(d.x, [s.B, s.T, s.cin]), tf.tensor3d(d.w, [s.k, s.cin, s.cout]), tf.tensor1d(d.b)]);
    expect(Array.from(dx.dataSync()).every((v) => v === 0)).toBe(true);
    expect(Array.from(dw.dataSync()).some((v) => v !== 0)).toBe(true);
  });
});
