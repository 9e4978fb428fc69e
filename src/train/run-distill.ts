/**
 * ModalityMirror phase 2 on one client: an audio-only student learns from the frozen audio-visual
 * teacher's soft labels and the true labels (see distillLoss). The teacher runs in inference mode
 * (no dropout), as PyTorch's teacher.eval(); every student module trains.
 */
import * as tf from '@tensorflow/tfjs';
import { seedKey } from '../core/seed-streams.js';
import type { FeatureStore } from '../data/types.js';
import { getWeightMap, setWeightMap, variablesByKey } from '../model/weight-map.js';
import { epochBatches, gatherBatch, inputTensors, oneHotLabels, type HostBatch } from './batches.js';
import { checkIndices, checkStoreFits } from './check-task.js';
import { distillLoss } from './losses.js';
import { cachedModel } from './model-cache.js';
import { checkHyper, disposeMomentum, sgdStep } from './sgd-step.js';
import type { DistillTask, ModelConfig, TrainResult } from './types.js';

/** Trains the student ('audio' model) of `task` and returns its weights (audio, audioHead). */
export function runDistill(task: DistillTask, store: FeatureStore, config: ModelConfig): TrainResult {
  const context = `distill task (seed ${task.seed})`;
  checkHyper(task.hyper, context);
  checkStoreFits(store, config, 'av');
  checkIndices(task.sampleIndices, store, context);
  const teacher = cachedModel(config, 'av');
  const student = cachedModel(config, 'audio');
  setWeightMap(teacher, task.teacher);
  setWeightMap(student, task.student);
  teacher.control.training = false;
  const variables = [...variablesByKey(student).values()];
  const optimizer = tf.train.momentum(task.hyper.lr, task.hyper.momentum);
  const { alpha, temperature } = task.distill;
  let lossSum = 0;
  let steps = 0;
  try {
    for (let epoch = 0; epoch < task.hyper.epochs; epoch++) {
      epochBatches(task.seed, epoch, task.sampleIndices, task.hyper.batchSize).forEach((indices, b) => {
        const host = gatherBatch(store, config, 'av', indices, false, task.labelShift ?? 0);
        // The student reads the audio pair only (the first two inputs of an 'av' batch).
        const audioOnly: HostBatch = { ...host, inputs: host.inputs.slice(0, 2) };
        const teacherLogits = tf.tidy(() => teacher.model.apply(inputTensors(host)) as tf.Tensor2D);
        try {
          student.control.training = true;
          student.control.stepKey = seedKey(task.seed, 'dropout', epoch, b);
          lossSum += sgdStep(
            optimizer,
            variables,
            () =>
              distillLoss(
                student.model.apply(inputTensors(audioOnly)) as tf.Tensor2D,
                teacherLogits,
                oneHotLabels(host, config.numClasses),
                alpha,
                temperature,
              ),
            task.hyper,
          );
        } finally {
          teacherLogits.dispose();
        }
        steps++;
      });
    }
  } finally {
    student.control.training = false;
    disposeMomentum(optimizer);
  }
  return {
    weights: getWeightMap(student),
    numSamples: task.sampleIndices.length,
    meanLoss: steps > 0 ? lossSum / steps : 0,
    steps,
  };
}
