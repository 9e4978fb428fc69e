/**
 * The wasm Conv2DBackpropFilter kernel (src/model/kernels) against the cpu backend's kernel and
 * against finite differences, through the public gradient path (tf.grad of conv1d / conv2d).
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '../../src/model/backend.js';
import { rng } from '../../src/core/seed-streams.js';

type Pad = 'same' | 'valid' | tf.backend_util.ExplicitPadding;

/** Seeded normal values, so every run tests the same numbers. */
function normals(size: number, ...ids: Array<string | number>): Float32Array {
  const r = rng(7, 'test/conv-backprop-filter', ...ids);
  return Float32Array.from({ length: size }, () => r.normal());
}

const sizeOf = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** Largest |a - b| divided by the largest |b| (with a floor so all-zero gradients compare). */
function relativeError(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 1e-6;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

interface Conv2DCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: [number, number];
  pad: Pad;
}

/** Filter gradient of sum(conv2d(x, f) * r) on `backend`, read back into a plain array. */
async function conv2dFilterGrad(backend: BackendName, c: Conv2DCase, id: string): Promise<Float32Array> {
  await initBackend(backend);
  return tf.tidy(() => {
    const x = tf.tensor4d(normals(sizeOf(c.x), id, 'x'), c.x);
    const f = tf.tensor4d(normals(sizeOf(c.filter), id, 'f'), c.filter);
    const outShape = tf.conv2d(x, f, c.strides, c.pad).shape;
    const r = tf.tensor(normals(sizeOf(outShape), id, 'r'), outShape);
    const g = tf.grad((ff: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, ff as tf.Tensor4D, c.strides, c.pad), r)))(f);
    return g.dataSync() as Float32Array;
  });
}

const conv2dCases: Conv2DCase[] = [
  { x: [3, 1, 17, 4], filter: [1, 5, 4, 6], strides: [1, 1], pad: 'same' },
  { x: [2, 1, 23, 3], filter: [1, 5, 3, 2], strides: [1, 2], pad: 'same' },
  { x: [2, 7, 9, 3], filter: [3, 2, 3, 5], strides: [2, 1], pad: 'valid' },
  { x: [4, 9, 11, 2], filter: [3, 3, 2, 3], strides: [2, 2], pad: 'same' },
  { x: [1, 5, 6, 1], filter: [5, 6, 1, 1], strides: [1, 1], pad: 'valid' },
  { x: [2, 6, 8, 3], filter: [3, 3, 3, 2], strides: [1, 1], pad: [[0, 0], [1, 2], [2, 0], [0, 0]] },
  { x: [2, 6, 7, 3], filter: [2, 4, 3, 2], strides: [2, 2], pad: [[0, 0], [0, 1], [3, 1], [0, 0]] },
];

describe('Conv2DBackpropFilter on wasm', () => {
  it.each(conv2dCases.map((c, i) => [i, c] as const))('conv2d case %i matches cpu', async (i, c) => {
    const cpu = await conv2dFilterGrad('cpu', c, `c2-${i}`);
    const wasm = await conv2dFilterGrad('wasm', c, `c2-${i}`);
    expect(wasm.length).toBe(sizeOf(c.filter));
    expect(relativeError(wasm, cpu)).toBeLessThan(1e-5);
  });

  it.each([
    [[3, 21, 5], [5, 5, 7], 1, 'same'],
    [[2, 20, 4], [5, 4, 3], 1, 'valid'],
    [[3, 19, 3], [3, 3, 4], 2, 'same'],
    [[2, 16, 6], [4, 6, 5], 2, 'valid'],
  ] as const)('conv1d x %j filter %j stride %i %s matches cpu', async (xs, fs, stride, pad) => {
    const id = `c1-${xs.join('x')}-${stride}-${pad}`;
    const grad = async (backend: BackendName) => {
      await initBackend(backend);
      return tf.tidy(() => {
        const x = tf.tensor3d(normals(sizeOf([...xs]), id, 'x'), [...xs]);
        const f = tf.tensor3d(normals(sizeOf([...fs]), id, 'f'), [...fs]);
        const outShape = tf.conv1d(x, f, stride, pad).shape;
        const r = tf.tensor(normals(sizeOf(outShape), id, 'r'), outShape);
        return tf.grad((ff: tf.Tensor) => tf.sum(tf.mul(tf.conv1d(x, ff as tf.Tensor3D, stride, pad), r)))(f).dataSync() as Float32Array;
      });
    };
    const cpu = await grad('cpu');
    expect(relativeError(await grad('wasm'), cpu)).toBeLessThan(1e-5);
  });

  it('NCHW data format matches cpu (direct kernel call)', async () => {
    const attrs = { strides: [2, 1], pad: 'same', dataFormat: 'NCHW', filterShape: [3, 2, 3, 4] };
    const xShape = [2, 3, 7, 6];
    const dyShape = [2, 4, 4, 6]; // ceil(7 / 2) = 4 rows, 6 columns, 4 output channels
    const run = async (backend: BackendName) => {
      await initBackend(backend);
      return tf.tidy(() => {
        const x = tf.tensor(normals(sizeOf(xShape), 'nchw', 'x'), xShape);
        const dy = tf.tensor(normals(sizeOf(dyShape), 'nchw', 'dy'), dyShape);
        const out = tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs) as tf.Tensor;
        expect(out.shape).toEqual([3, 2, 3, 4]);
        return out.dataSync() as Float32Array;
      });
    };
    const cpu = await run('cpu');
    expect(relativeError(await run('wasm'), cpu)).toBeLessThan(1e-5);
  });

  it('matches central finite differences on a small case', async () => {
    // The loss sum(conv(x, f) * r) is linear in f, so a central difference is exact up to
    // float32 rounding; a large step keeps that rounding small relative to the difference.
    const c: Conv2DCase = { x: [2, 1, 9, 3], filter: [1, 3, 3, 2], strides: [1, 2], pad: 'same' };
    const analytic = await conv2dFilterGrad('wasm', c, 'fd');
    const x = tf.tensor4d(normals(sizeOf(c.x), 'fd', 'x'), c.x);
    const f0 = normals(sizeOf(c.filter), 'fd', 'f');
    const outShape = tf.conv2d(x, tf.tensor4d(f0, c.filter), c.strides, c.pad).shape;
    const r = tf.tensor(normals(sizeOf(outShape), 'fd', 'r'), outShape);
    const loss = (f: Float32Array) =>
      tf.tidy(() => tf.sum(tf.mul(tf.conv2d(x, tf.tensor4d(f, c.filter), c.strides, c.pad), r)).dataSync()[0]);
    const step = 0.5;
    const numeric = new Float32Array(f0.length);
    for (let i = 0; i < f0.length; i++) {
      const plus = f0.slice();
      const minus = f0.slice();
      plus[i] += step;
      minus[i] -= step;
      numeric[i] = (loss(plus) - loss(minus)) / (2 * step);
    }
    expect(relativeError(analytic, numeric)).toBeLessThan(1e-4);
    tf.dispose([x, r]);
  });

  it('leaves no wasm tensor data behind', async () => {
    await initBackend('wasm');
    const before = tf.memory().numTensors;
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const idsBefore = backend.numDataIds();
    const x = tf.ones([2, 1, 10, 3]);
    const dy = tf.ones([2, 1, 10, 4]);
    const out = tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, {
      strides: [1, 1], pad: 'same', dataFormat: 'NHWC', filterShape: [1, 3, 3, 4],
    }) as tf.Tensor;
    // Hand-computed: each tap sees 10 input columns minus the one that falls into the padding
    // (the middle tap sees all 10), times 2 images: [18, 20, 18] per (ci, co) pair.
    const taps = Array.from(out.dataSync()).filter((_, i) => i % 12 === 0);
    expect(taps).toEqual([18, 20, 18]);
    tf.dispose([x, dy, out]);
    expect(tf.memory().numTensors).toBe(before);
    expect(backend.numDataIds()).toBe(idsBefore);
  });
});
