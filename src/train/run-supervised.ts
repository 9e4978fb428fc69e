/**
 * Supervised local training: a pure function of (task, store, config) within one backend.
 * Custom loop (not model.fit) so that data order, dropout and the update rule are ours and seeded.
 */
import * as tf from '@tensorflow/tfjs';
import { seedKey } from '../core/seed-streams.js';
import { moduleOf } from '../core/weights.js';
import type { FeatureStore } from '../data/types.js';
import { modulesOf } from '../model/model-kinds.js';
import { getWeightMap, setWeightMap, variablesByKey } from '../model/weight-map.js';
import { epochBatches, gatherBatch, inputTensors, oneHotLabels } from './batches.js';
import { checkIndices, checkStoreFits } from './check-task.js';
import { crossEntropy } from './losses.js';
import { cachedModel } from './model-cache.js';
import { checkHyper, disposeMomentum, sgdStep } from './sgd-step.js';
import type { ModelConfig, SupervisedTask, TrainResult } from './types.js';

/** Trains `task.trainModules` (default: all modules of the model) and returns only their weights. */
export function runSupervised(task: SupervisedTask, store: FeatureStore, config: ModelConfig): TrainResult {
  const context = `supervised '${task.model}' task (seed ${task.seed})`;
  checkHyper(task.hyper, context);
  checkStoreFits(store, config, task.model, task.zeroVideo === true);
  checkIndices(task.sampleIndices, store, context);
  const modules: readonly string[] = modulesOf(task.model);
  const trainModules = task.trainModules ?? modules;
  for (const m of trainModules) {
    if (!modules.includes(m)) {
      throw new Error(`${context}: trainModules contains '${m}', which is not a module of '${task.model}' (${modules.join(', ')})`);
    }
  }
  const built = cachedModel(config, task.model);
  setWeightMap(built, task.weights);
  const variables = [...variablesByKey(built)].filter(([key]) => trainModules.includes(moduleOf(key))).map(([, v]) => v);
  // A fresh optimiser per task: FedMultimodal builds a new one every local round (momentum restarts).
  const optimizer = tf.train.momentum(task.hyper.lr, task.hyper.momentum);
  let lossSum = 0;
  let steps = 0;
  try {
    for (let epoch = 0; epoch < task.hyper.epochs; epoch++) {
      const batches = epochBatches(task.seed, epoch, task.sampleIndices, task.hyper.batchSize);
      batches.forEach((indices, b) => {
        const host = gatherBatch(store, config, task.model, indices, task.zeroVideo === true, task.labelShift ?? 0);
        built.control.training = true;
        built.control.stepKey = seedKey(task.seed, 'dropout', epoch, b);
        lossSum += sgdStep(
          optimizer,
          variables,
          () => crossEntropy(built.model.apply(inputTensors(host)) as tf.Tensor2D, oneHotLabels(host, config.numClasses)),
          task.hyper,
        );
        steps++;
      });
    }
  } finally {
    built.control.training = false;
    disposeMomentum(optimizer);
  }
  return {
    weights: getWeightMap(built, trainModules),
    numSamples: task.sampleIndices.length,
    meanLoss: steps > 0 ? lossSum / steps : 0,
    steps,
  };
}
