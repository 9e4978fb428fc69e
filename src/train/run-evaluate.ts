/** Scoring: predictions of a model on samples, in the order given, without dropout. */
import * as tf from '../model/tfjs.js';
import type { FeatureStore } from '../data/types.js';
import { setWeightMap } from '../model/weight-map.js';
import { chunk, gatherBatch, inputTensors, oneHotLabels } from './batches.js';
import { checkIndices, checkStoreFits } from './check-task.js';
import { crossEntropy } from './losses.js';
import { cachedModel } from './model-cache.js';
import type { ModelConfig } from '../model/model-config.js';
import type { EvalResult, EvalTask } from '../protocol/trainer.js';
import { forwardLayers } from '../model/forward-layers.js';

/** Argmax predictions, true labels and mean cross-entropy of `task.model` on `task.sampleIndices`. */
export function runEvaluate(task: EvalTask, store: FeatureStore, config: ModelConfig): EvalResult {
  const context = `evaluate '${task.model}' task`;
  checkStoreFits(store, config, task.model, task.zeroVideo === true);
  checkIndices(task.sampleIndices, store, context);
  const built = cachedModel(config, task.model);
  setWeightMap(built, task.weights);
  built.control.training = false;
  const n = task.sampleIndices.length;
  const predictions = new Int32Array(n);
  const labels = new Int32Array(n);
  let lossSum = 0;
  let offset = 0;
  for (const indices of chunk(task.sampleIndices, task.batchSize)) {
    const host = gatherBatch(store, config, task.model, indices, task.zeroVideo === true);
    const [loss, argmax] = tf.tidy(() => {
      const logits = forwardLayers(built.model, inputTensors(host)) as tf.Tensor2D;
      return [crossEntropy(logits, oneHotLabels(host, config.numClasses)).dataSync()[0], tf.argMax(logits, 1).dataSync()];
    });
    predictions.set(argmax as Int32Array, offset);
    labels.set(host.labels, offset);
    lossSum += (loss as number) * indices.length;
    offset += indices.length;
  }
  return { predictions, labels, meanLoss: lossSum / n };
}
