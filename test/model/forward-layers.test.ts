/**
 * forwardLayers runs a model's layers without tfjs-layers' per-call bookkeeping: it must give
 * model.apply's values and gradients bit for bit (same kernels, same order), in training (seeded
 * dropout) and scoring mode, for every model kind, and fall back to apply for a graph it does not plan.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/model/backend.js';
import { buildModel } from '../../src/model/build-model.js';
import { forwardLayers } from '../../src/model/forward-layers.js';
import { initialWeights } from '../../src/model/initial-weights.js';
import { weightShapes } from '../../src/model/weight-map.js';
import { setWeightMap, variablesByKey } from '../../src/model/weight-map.js';
import { gatherBatch, inputTensors } from '../../src/train/batches.js';
import { range, TOY_CONFIG, toyStore } from '../train/toy-data.js';

const store = toyStore();
const bits = (t: tf.Tensor) => Array.from(new Uint32Array(new Float32Array(t.dataSync()).buffer));

describe('forwardLayers', () => {
  beforeAll(async () => {
    await initBackend();
  });

  for (const kind of ['audio', 'video', 'av'] as const) {
    it(`gives model.apply's logits and gradients bit for bit (${kind}, training and scoring)`, () => {
      const built = buildModel(TOY_CONFIG, kind);
      setWeightMap(built, initialWeights(weightShapes(built), 'forward-layers-test'));
      const batch = gatherBatch(store, TOY_CONFIG, kind, range(8, 3), false, 0);
      const variables = [...variablesByKey(built).values()];
      for (const training of [true, false]) {
        built.control.training = training;
        built.control.stepKey = 'forward-layers-test/step';
        const run = (forward: (inputs: tf.Tensor[]) => tf.Tensor) =>
          tf.tidy(() => {
            const logits = forward(inputTensors(batch));
            const { grads } = tf.variableGrads(() => tf.sum(tf.square(forward(inputTensors(batch)))) as tf.Scalar, variables as tf.Variable[]);
            return [bits(logits), ...Object.keys(grads).sort().map((k) => bits(grads[k]))];
          });
        const viaApply = run((inputs) => built.model.apply(inputs) as tf.Tensor);
        const direct = run((inputs) => forwardLayers(built.model, inputs));
        expect(direct).toEqual(viaApply);
        expect(viaApply.length).toBe(variables.length + 1);
      }
      built.control.training = false;
    });
  }

  it('falls back to model.apply for a graph with a shared layer', () => {
    const input = tf.input({ shape: [3] });
    const shared = tf.layers.dense({ units: 3, kernelInitializer: 'ones', useBias: false });
    const model = tf.model({ inputs: input, outputs: shared.apply(shared.apply(input)) as tf.SymbolicTensor });
    const x = tf.tensor2d([[1, 2, 3]]);
    expect(Array.from(forwardLayers(model, [x]).dataSync())).toEqual(Array.from((model.apply(x) as tf.Tensor).dataSync()));
    expect(Array.from(forwardLayers(model, [x]).dataSync())).toEqual([18, 18, 18]);
  });
});
