/**
 * The fused clip + weight-decay + momentum update equals the same update written with tfjs ops
 * (tf.train.momentum after a clip by global norm) on the cpu backend, over three steps on odd-sized
 * random variables, on cpu and wasm; with and without clipping; first step buf = d.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend, type BackendName } from '../../src/model/backend.js';
import { momentumUpdate, sgdMomentumOp, type SgdSettings } from '../../src/model/kernels/sgd-momentum.js';
import { randomArray, relativeError } from './grad-check.js';

const SHAPES = [[3, 5], [7], [2, 3, 4], [1]];

/** Gradients for step `s` of variable `i` (fixed, so both implementations see the same ones). */
const gradient = (i: number, s: number, scale: number) => randomArray(SHAPES[i].reduce((a, b) => a * b, 1), `sgd/g/${i}/${s}`, scale);
const initial = (i: number) => randomArray(SHAPES[i].reduce((a, b) => a * b, 1), `sgd/w/${i}`);

/** Three steps with the fused kernel on `backend`; returns the final weights. */
async function fused(backend: BackendName, settings: SgdSettings, gradScale: number): Promise<Float32Array[]> {
  await initBackend(backend);
  let weights = SHAPES.map((shape, i) => tf.tensor(initial(i), shape));
  let buffers: Array<tf.Tensor | null> = SHAPES.map(() => null);
  for (let s = 0; s < 3; s++) {
    const grads = SHAPES.map((shape, i) => tf.tensor(gradient(i, s, gradScale), shape));
    const out = sgdMomentumOp(weights, grads, buffers, settings);
    tf.dispose([...weights, ...grads, ...buffers.filter((b): b is tf.Tensor => b !== null)]);
    weights = out.slice(0, SHAPES.length);
    buffers = out.slice(SHAPES.length);
  }
  const result = weights.map((w) => w.dataSync().slice() as Float32Array);
  tf.dispose([...weights, ...buffers.filter((b): b is tf.Tensor => b !== null)]);
  return result;
}

/** The same three steps with tfjs ops and tf.train.momentum on cpu. */
async function reference(settings: SgdSettings, gradScale: number): Promise<Float32Array[]> {
  await initBackend('cpu');
  const vars = SHAPES.map((shape, i) => tf.variable(tf.tensor(initial(i), shape), true, `sgd-ref-${i}-${gradScale}-${settings.clipNorm}`));
  const optimizer = tf.train.momentum(settings.lr, settings.momentum);
  for (let s = 0; s < 3; s++) {
    tf.tidy(() => {
      const grads = SHAPES.map((shape, i) => tf.tensor(gradient(i, s, gradScale), shape));
      let scale: tf.Tensor = tf.scalar(1);
      if (settings.clipNorm > 0) {
        const norm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g)))));
        scale = tf.minimum(1, tf.div(settings.clipNorm, tf.add(norm, 1e-6)));
      }
      const map: tf.NamedTensorMap = {};
      vars.forEach((v, i) => {
        map[v.name] = tf.add(tf.mul(grads[i], scale), tf.mul(v, settings.weightDecay));
      });
      optimizer.applyGradients(map as unknown as Parameters<typeof optimizer.applyGradients>[0]);
    });
  }
  const result = vars.map((v) => v.dataSync().slice() as Float32Array);
  optimizer.dispose();
  vars.forEach((v) => v.dispose());
  return result;
}

describe('fused SGD momentum step', () => {
  for (const [label, clipNorm, gradScale] of [['clipped', 1, 3], ['not clipped', 100, 1], ['clip off', 0, 3]] as const) {
    it(`matches tf.train.momentum with a global-norm clip (${label})`, async () => {
      const settings = { lr: 0.05, momentum: 0.9, weightDecay: 1e-3, clipNorm };
      const expected = await reference(settings, gradScale);
      for (const backend of ['cpu', 'wasm'] as const) {
        const got = await fused(backend, settings, gradScale);
        got.forEach((w, i) => expect(relativeError(w, expected[i]), `${backend} variable ${i}`).toBeLessThan(1e-6));
      }
    });
  }

  it('updates each element bit for bit as d = g·scale + wd·w; buf = m·buf + d (or d); w − lr·buf, in float64', () => {
    const settings = { lr: 0.05, momentum: 0.9, weightDecay: 1e-5, clipNorm: 10 };
    const w = randomArray(1001, 'sgd/bits/w');
    const g = randomArray(1001, 'sgd/bits/g');
    const buf = randomArray(1001, 'sgd/bits/b');
    for (const previous of [null, buf]) {
      const wOut = new Float32Array(w.length);
      const bufOut = new Float32Array(w.length);
      momentumUpdate(w, g, previous, wOut, bufOut, 0.37, settings);
      const wantW = new Float32Array(w.length);
      const wantB = new Float32Array(w.length);
      for (let i = 0; i < w.length; i++) {
        const d = g[i] * 0.37 + settings.weightDecay * w[i];
        const b = previous === null ? d : settings.momentum * previous[i] + d;
        wantB[i] = b;
        wantW[i] = w[i] - settings.lr * b;
      }
      expect(Buffer.from(wOut.buffer).equals(Buffer.from(wantW.buffer))).toBe(true);
      expect(Buffer.from(bufOut.buffer).equals(Buffer.from(wantB.buffer))).toBe(true);
    }
  });
});
