/**
 * Scratch reuse must never hand one array to two live uses: upload scratch is reused only on wasm
 * (whose tf.tensor copies), GRU tapes only after release, and a GRU's gradient still matches after
 * its tape has been reused by other passes.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/model/backend.js';
import { gru } from '../../src/model/fast-gru.js';
import { acquireGruTape, releaseGruTape } from '../../src/model/gru-recurrence.js';
import { uploadScratch, uploadsCopy } from '../../src/model/scratch-arrays.js';

const dims = { batch: 2, steps: 3, units: 4 };

describe('scratch arrays', () => {
  afterAll(async () => {
    await initBackend('cpu');
  });

  it('gives fresh zeroed arrays on cpu, whose tensors keep the array itself', async () => {
    await initBackend('cpu');
    expect(uploadsCopy()).toBe(false);
    const a = uploadScratch('test.slot', 4);
    a.fill(7);
    const t = tf.tensor(a, [4]);
    const b = uploadScratch('test.slot', 4);
    expect(b).not.toBe(a);
    expect(Array.from(b)).toEqual([0, 0, 0, 0]);
    b.fill(1);
    expect(Array.from(t.dataSync())).toEqual([7, 7, 7, 7]);
    t.dispose();
  });

  it('reuses one array per slot on wasm, and a tensor made from it keeps its values', async () => {
    await initBackend('wasm');
    expect(uploadsCopy()).toBe(true);
    const a = uploadScratch('test.slot', 6);
    a.set([1, 2, 3, 4, 5, 6]);
    const t = tf.tensor(a, [6]);
    const b = uploadScratch('test.slot', 4);
    expect(b.buffer).toBe(a.buffer);
    expect(b.length).toBe(4);
    b.fill(-1);
    expect(Array.from(t.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    t.dispose();
  });

  it('hands out a tape again only after release, and refuses a second release', () => {
    const first = acquireGruTape(dims);
    const second = acquireGruTape(dims);
    expect(second.z.buffer).not.toBe(first.z.buffer);
    releaseGruTape(first);
    expect(() => releaseGruTape(first)).toThrow(/already released/);
    const third = acquireGruTape(dims);
    expect(third.z.buffer).toBe(first.z.buffer);
    expect(third.z.buffer).not.toBe(second.z.buffer);
    releaseGruTape(second);
    releaseGruTape(third);
  });

  for (const backend of ['cpu', 'wasm'] as const) {
    it(`gives the same GRU gradients with interleaved passes reusing tapes and scratch (${backend})`, async () => {
      await initBackend(backend);
      const x = tf.tensor3d(Float32Array.from({ length: 2 * 3 * 5 }, (_, i) => Math.sin(i)), [2, 3, 5]);
      const w = tf.tensor2d(Float32Array.from({ length: 5 * 12 }, (_, i) => Math.cos(i) * 0.3), [5, 12]);
      const u = tf.tensor2d(Float32Array.from({ length: 4 * 12 }, (_, i) => Math.sin(i * 0.7) * 0.3), [4, 12]);
      const b = tf.tensor2d(Float32Array.from({ length: 24 }, (_, i) => (i % 5) * 0.05), [2, 12]);
      const grads = () => tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.square(gru(xx as tf.Tensor3D, ww as tf.Tensor2D, u, b))))([x, w]);
      const alone = grads().map((g) => Array.from(g.dataSync()));
      // Two passes recorded in one gradient (their tapes live at once): each must back-propagate its own.
      const single = tf.grad((xx: tf.Tensor) => tf.sum(gru(xx as tf.Tensor3D, w, u, b)))(x);
      const twice = tf.grad((xx: tf.Tensor) => tf.add(tf.sum(gru(xx as tf.Tensor3D, w, u, b)), tf.sum(gru(xx as tf.Tensor3D, w, u, b))))(x);
      expect(Array.from(twice.dataSync())).toEqual(Array.from(single.dataSync()).map((v) => 2 * v));
      // An inference pass (its tape released at once), then the first gradient again.
      gru(x, w, u, b).dispose();
      const again = grads().map((g) => Array.from(g.dataSync()));
      expect(again).toEqual(alone);
    });
  }
});
