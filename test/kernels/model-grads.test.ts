/**
 * A whole training-step gradient on wasm: a tiny Conv1D + MaxPooling1D + Dropout + GRU + Dense
 * model (the audio model's layer kinds) must have every gradient match the cpu backend's, i.e. no
 * kernel is missing on wasm and ours computes what cpu computes.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '../../src/model/backend.js';
import { rng } from '../../src/core/seed-streams.js';

function normals(size: number, what: string): Float32Array {
  const r = rng(11, 'test/model-grads', what);
  return Float32Array.from({ length: size }, () => r.normal());
}

/** Seeded layers so both backends start from identical weights (created once, on cpu). */
function buildModel(): tf.Sequential {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const model = tf.sequential();
  model.add(tf.layers.conv1d({
    inputShape: [13, 6], filters: 5, kernelSize: 5, padding: 'same', activation: 'relu',
    kernelInitializer: init(1), biasInitializer: tf.initializers.constant({ value: 0.05 }),
  }));
  model.add(tf.layers.maxPooling1d({ poolSize: 2 }));
  model.add(tf.layers.conv1d({ filters: 4, kernelSize: 3, padding: 'valid', activation: 'relu', kernelInitializer: init(2) }));
  model.add(tf.layers.dropout({ rate: 0.25, seed: 3 }));
  model.add(tf.layers.gru({
    units: 4, returnSequences: true, recurrentActivation: 'sigmoid',
    kernelInitializer: init(4), recurrentInitializer: init(5),
  }));
  model.add(tf.layers.globalAveragePooling1d());
  model.add(tf.layers.dense({ units: 6, activation: 'relu', kernelInitializer: init(6) }));
  model.add(tf.layers.dense({ units: 3, kernelInitializer: init(7) }));
  return model;
}

/** All variable gradients of a softmax cross-entropy step on `backend`, keyed by variable name. */
async function gradients(model: tf.Sequential, backend: BackendName): Promise<Map<string, Float32Array>> {
  await initBackend(backend);
  const x = tf.tensor3d(normals(4 * 13 * 6, 'x'), [4, 13, 6]);
  const y = tf.oneHot(tf.tensor1d([0, 2, 1, 2], 'int32'), 3);
  const { value, grads } = tf.variableGrads(() =>
    tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
  );
  const out = new Map<string, Float32Array>();
  for (const [name, g] of Object.entries(grads)) out.set(name, g.dataSync() as Float32Array);
  tf.dispose([x, y, value, ...Object.values(grads)]);
  return out;
}

describe('tiny Conv1D + GRU + Dense model on wasm', () => {
  it('has every gradient equal to the cpu backend to 1e-4 relative', async () => {
    await initBackend('cpu');
    const model = buildModel();
    const cpu = await gradients(model, 'cpu');
    const wasm = await gradients(model, 'wasm');
    // conv1 (kernel, bias), conv2 (kernel, bias), gru (3), dense (2), dense (2).
    expect(cpu.size).toBe(11);
    expect([...wasm.keys()].sort()).toEqual([...cpu.keys()].sort());
    for (const [name, c] of cpu) {
      const w = wasm.get(name)!;
      let diff = 0;
      let scale = 1e-6;
      for (let i = 0; i < c.length; i++) {
        diff = Math.max(diff, Math.abs(c[i] - w[i]));
        scale = Math.max(scale, Math.abs(c[i]));
      }
      expect(scale, `${name} gradient is all zero`).toBeGreaterThan(1e-5);
      expect(diff / scale, name).toBeLessThan(1e-4);
    }
    model.dispose();
  });
});
