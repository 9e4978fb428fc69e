import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStream } from '../../src/core/seed-streams.js';
import { initBackend } from '../../src/model/backend.js';
import { gru } from '../../src/model/fast-gru.js';
import { referenceGru } from '../helpers/reference-gru.js';

function random(shape: number[], key: string, scale = 0.5): tf.Tensor {
  const s = openStream(key);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => s.normal() * scale), shape);
}

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe('FastGru op', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('matches a plain-ops GRU forward and its autodiff gradients', () => {
    const [B, T, inDim, units] = [3, 5, 4, 6];
    const x = random([B, T, inDim], 'x') as tf.Tensor3D;
    const w = random([inDim, 3 * units], 'w') as tf.Tensor2D;
    const u = random([units, 3 * units], 'u') as tf.Tensor2D;
    const b = random([2, 3 * units], 'b', 0.3) as tf.Tensor2D;
    // A non-uniform upstream gradient so every output position matters.
    const weight = random([B, T, units], 'dy');
    const loss = (f: typeof gru) => (xx: tf.Tensor, ww: tf.Tensor, uu: tf.Tensor, bb: tf.Tensor) =>
      tf.sum(tf.mul(f(xx as tf.Tensor3D, ww as tf.Tensor2D, uu as tf.Tensor2D, bb as tf.Tensor2D), weight)) as tf.Scalar;
    expect(maxDiff(gru(x, w, u, b), referenceGru(x, w, u, b))).toBeLessThan(1e-5);
    const ours = tf.grads(loss(gru))([x, w, u, b]);
    const ref = tf.grads(loss(referenceGru))([x, w, u, b]);
    ['x', 'kernel', 'recurrent', 'bias'].forEach((name, i) => {
      expect(ours[i].shape, name).toEqual(ref[i].shape);
      expect(maxDiff(ours[i], ref[i]), name).toBeLessThan(1e-5);
    });
  });

  it('without an input gradient gives the same weight gradients and a zero dx', () => {
    const x = random([2, 4, 3], 'x3') as tf.Tensor3D;
    const w = random([3, 9], 'w3') as tf.Tensor2D;
    const u = random([3, 9], 'u3') as tf.Tensor2D;
    const b = random([2, 9], 'b3') as tf.Tensor2D;
    const f = (input: boolean) => (xx: tf.Tensor, ww: tf.Tensor) =>
      tf.sum(tf.square(gru(xx as tf.Tensor3D, ww as tf.Tensor2D, u, b, input))) as tf.Scalar;
    const [dxFull, dwFull] = tf.grads(f(true))([x, w]);
    const [dxNone, dwNone] = tf.grads(f(false))([x, w]);
    expect(Array.from(dwNone.dataSync())).toEqual(Array.from(dwFull.dataSync()));
    expect(maxDiff(dxFull, tf.zerosLike(dxFull))).toBeGreaterThan(0);
    expect(Array.from(dxNone.dataSync()).every((v) => v === 0)).toBe(true);
  });

  it('leaves no tensors behind after a gradient', () => {
    const x = random([2, 3, 2], 'x2') as tf.Tensor3D;
    const w = random([2, 6], 'w2') as tf.Tensor2D;
    const u = random([2, 6], 'u2') as tf.Tensor2D;
    const b = random([2, 6], 'b2') as tf.Tensor2D;
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      tf.grads((a: tf.Tensor) => tf.sum(gru(a as tf.Tensor3D, w, u, b)))([x]);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
