/**
 * Seeded dropout in the wasm heap (src/model/kernels/dropout-simd.ts): the SIMD module's mask equals
 * dropoutMask's element for element (four-wide body and one-at-a-time tail), its product and
 * gradient equal tf.mul with the uploaded mask bit for bit, and the SeededDropout layer gives the
 * same value and gradient with the module on and off; nothing dispatches it on cpu.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/model/backend.js';
import { dropoutSimd, dropoutSimdAvailable } from '../../src/model/kernels/dropout-simd.js';
import { setSimdGemmEnabled } from '../../src/model/kernels/simd-gemm.js';
import { createDropoutControl, dropoutHash, dropoutMask, SeededDropout } from '../../src/model/seeded-dropout.js';
import { openStream } from '../../src/core/seed-streams.js';
import { bitDiffs } from '../helpers/bit-values.js';

/** Signed values with some exact zeros and negative zeros (their signs must survive the product). */
function values(n: number, key: string): Float32Array {
  const stream = openStream(key);
  return Float32Array.from({ length: n }, () => {
    const u = stream.next();
    return u < 0.1 ? 0 : u < 0.2 ? -0 : stream.next() * 4 - 2;
  });
}


afterEach(() => setSimdGemmEnabled(true));

describe('seeded dropout in the wasm heap', () => {
  for (const [size, rate, key] of [[1, 0.1, 'a'], [3, 0.5, 'b'], [4, 0.5, 'c'], [7, 0.9, 'd'], [4099, 0.1, 'e'], [20000, 0.3, 'f'], [513, 1e-9, 'g']] as const) {
    it(`equals x times the uploaded mask bit for bit, value and gradient: ${size} elements, rate ${rate}`, async () => {
      await initBackend('wasm');
      const hash = dropoutHash(rate, `dropout-simd/${key}`);
      expect(dropoutSimdAvailable(hash)).toBe(true);
      const x = tf.tensor1d(values(size, `x${key}`));
      const dy = tf.tensor1d(values(size, `dy${key}`));
      const mask = tf.tensor1d(dropoutMask(size, rate, `dropout-simd/${key}`));
      const ours = tf.valueAndGrad((t: tf.Tensor) => tf.sum(tf.mul(dropoutSimd(t, hash), dy)))(x);
      const stock = tf.valueAndGrad((t: tf.Tensor) => tf.sum(tf.mul(tf.mul(t, mask), dy)))(x);
      expect(bitDiffs(dropoutSimd(x, hash).dataSync(), tf.mul(x, mask).dataSync())).toBe(0);
      expect(bitDiffs(ours.grad.dataSync(), stock.grad.dataSync())).toBe(0);
      expect(Object.is(ours.value.dataSync()[0], stock.value.dataSync()[0])).toBe(true);
      // The mask really drops about `rate` of the elements (not all kept, not all dropped).
      if (size > 1000) {
        const dropped = dropoutMask(size, rate, `dropout-simd/${key}`).filter((m) => m === 0).length / size;
        expect(Math.abs(dropped - rate)).toBeLessThan(0.03);
      }
      tf.dispose([x, dy, mask, ours.value, ours.grad, stock.value, stock.grad]);
    });
  }

  it('the SeededDropout layer gives the same value and gradient with the module on and off', async () => {
    await initBackend('wasm');
    const control = createDropoutControl();
    control.training = true;
    control.stepKey = 'seed/dropout/0/1';
    const layer = new SeededDropout({ name: 'audio.drop1', rate: 0.25, control });
    const x = tf.tensor3d(values(6 * 11 * 24, 'lx'), [6, 11, 24]);
    const r = tf.tensor3d(values(6 * 11 * 24, 'lr'), [6, 11, 24]);
    const run = () => {
      const { value, grad } = tf.valueAndGrad((t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t) as tf.Tensor, r)))(x);
      return [value.dataSync().slice(), grad.dataSync().slice(), (layer.apply(x) as tf.Tensor).dataSync().slice()];
    };
    const on = run();
    setSimdGemmEnabled(false);
    expect(dropoutSimdAvailable(dropoutHash(0.25, 'k'))).toBe(false);
    const off = run();
    on.forEach((v, i) => expect(bitDiffs(v, off[i])).toBe(0));
    tf.dispose([x, r]);
  });

  it('is not offered on cpu, nor for a threshold outside int32', async () => {
    await initBackend('wasm');
    expect(dropoutSimdAvailable({ base: 1, threshold: 2147483648, keep: 2 })).toBe(false);
    await initBackend('cpu');
    expect(dropoutSimdAvailable(dropoutHash(0.1, 'k'))).toBe(false);
  });
});
