/** initBackend keeps the cpu backend's "install tfjs-node" banner out of the logs (workers print it each). */
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { initBackend } from '../../src/model/backend.js';

describe('tfjs banner', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is not printed when the cpu backend stores its first tensor', async () => {
    const warn = vi.spyOn(console, 'warn');
    await initBackend('cpu');
    tf.tidy(() => tf.add(tf.tensor1d([1, 2]), 1).dataSync());
    await initBackend('wasm');
    const printed = warn.mock.calls.flat().map(String).filter((m) => m.includes('looks like you are running TensorFlow.js'));
    expect(printed).toEqual([]);
  });
});
