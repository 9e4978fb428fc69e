/**
 * Backend selection: fallback order, explicit choice, idempotence, clear errors.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { activeBackend, initBackend, type BackendName } from '../src/model/backend.js';

describe('initBackend', () => {
  it('falls back to wasm where tfjs-node is not installed, and is idempotent', async () => {
    const first = await initBackend();
    const second = await initBackend();
    expect(second).toBe(first);
    // tfjs-node is an optional dependency: with it the first choice is 'tensorflow'.
    expect(['tensorflow', 'wasm']).toContain(first);
    expect(activeBackend()).toBe(first);
    const product = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5], [6]])).dataSync());
    expect(Array.from(product)).toEqual([17, 39]);
  });

  it('switches between cpu and wasm on request', async () => {
    expect(await initBackend('cpu')).toBe('cpu');
    expect(activeBackend()).toBe('cpu');
    expect(await initBackend('wasm')).toBe('wasm');
    expect(await initBackend('wasm')).toBe('wasm');
    expect(activeBackend()).toBe('wasm');
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')).toBeDefined();
  });

  it('is safe under concurrent calls', async () => {
    const names = await Promise.all([initBackend('wasm'), initBackend('wasm'), initBackend('wasm')]);
    expect(names).toEqual(['wasm', 'wasm', 'wasm']);
  });

  it('names the backend it cannot start', async () => {
    let installed = true;
    try {
      const name = '@tensorflow/tfjs-node';
      await import(name);
    } catch {
      installed = false;
    }
    if (!installed) {
      await expect(initBackend('tensorflow')).rejects.toThrow(/'tensorflow' could not be started/);
    }
    await expect(initBackend('webgpu' as BackendName)).rejects.toThrow(/'webgpu' is not one of tensorflow, wasm, cpu/);
  });
});
