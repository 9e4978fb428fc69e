/**
 * Every model trains, distils and evaluates on a backend that has only tfjs's stock kernels (the
 * tfjs-node case, see test/helpers/stand-in-backend.ts), and gives the cpu backend's results within
 * float32 round-off: the project's kernels are replaced there by stock-op fallbacks whose only
 * difference is the order of float32 sums (the kernels sum in float64).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WeightMap } from '../../src/core/weights.js';
import { initBackend } from '../../src/model/backend.js';
import { FLIP_CONV_FILTER } from '../../src/model/kernels/flip-conv-filter.js';
import { RELU_MAX_POOL_GRAD } from '../../src/model/kernels/relu-max-pool-grad.js';
import { SGD_MOMENTUM } from '../../src/model/kernels/sgd-momentum.js';
import { initWeights } from '../../src/train/init-weights.js';
import { runEvaluate } from '../../src/train/run-evaluate.js';
import { runLocalStep } from '../../src/train/run-local-step.js';
import type { ModelKind } from '../../src/model/model-config.js';
import type { TrainTask } from '../../src/protocol/trainer.js';
import { STAND_IN, stockKernelNames, useStandInBackend } from '../helpers/stand-in-backend.js';
import { range, TOY_CONFIG, TOY_HYPER, toyStore } from '../train/toy-data.js';

/** Largest absolute difference between the weights after training on cpu and on the stand-in. */
const WEIGHT_TOLERANCE = 2e-5;
const store = toyStore(48);
const hyper = { ...TOY_HYPER, epochs: 2 };

async function on<T>(backend: 'cpu' | 'stand-in', f: () => T): Promise<T> {
  if (backend === 'cpu') await initBackend('cpu');
  else await useStandInBackend();
  expect(tf.getBackend()).toBe(backend === 'cpu' ? 'cpu' : STAND_IN);
  return f();
}

function maxDiff(a: WeightMap, b: WeightMap): number {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  let worst = 0;
  for (const key of Object.keys(a)) {
    for (let i = 0; i < a[key].length; i++) worst = Math.max(worst, Math.abs(a[key][i] - b[key][i]));
  }
  return worst;
}

function train(task: TrainTask) {
  return runLocalStep(task, store, TOY_CONFIG);
}

describe('a backend with only tfjs stock kernels (the tfjs-node case)', () => {
  beforeAll(async () => {
    await initBackend('cpu');
    await useStandInBackend();
  });

  it('holds none of the project kernels, only stock ones', () => {
    for (const name of [RELU_MAX_POOL_GRAD, FLIP_CONV_FILTER, SGD_MOMENTUM]) {
      expect(tf.getKernel(name, 'cpu'), name).toBeDefined();
      expect(tf.getKernel(name, STAND_IN), name).toBeUndefined();
    }
    expect(stockKernelNames()).toContain('Conv2DBackpropFilter');
    expect(stockKernelNames().length).toBeGreaterThan(150);
  });

  it.each<ModelKind>(['audio', 'video', 'av'])('trains the %s model as cpu does', async (model) => {
    const weights = initWeights(TOY_CONFIG, [model], `init-${model}`);
    const task: TrainTask = { kind: 'supervised', model, weights, sampleIndices: range(48), hyper, seed: `s-${model}` };
    const cpu = await on('cpu', () => train(task));
    const standIn = await on('stand-in', () => train(task));
    expect(standIn.steps).toBe(cpu.steps);
    expect(Math.abs(standIn.meanLoss - cpu.meanLoss)).toBeLessThan(1e-5);
    expect(maxDiff(standIn.weights, cpu.weights)).toBeLessThan(WEIGHT_TOLERANCE);
    // It really trained: the weights moved far more than the tolerance.
    expect(maxDiff(cpu.weights, Object.fromEntries(Object.keys(cpu.weights).map((k) => [k, weights[k]])))).toBeGreaterThan(1e-2);
  });

  it('distils the audio student as cpu does', async () => {
    const teacher = initWeights(TOY_CONFIG, ['av'], 'teacher');
    const student = initWeights(TOY_CONFIG, ['audio'], 'student');
    const task: TrainTask = { kind: 'distill', model: 'audio', weights: student, frozen: teacher, sampleIndices: range(48), hyper, params: { alpha: 0.5, temperature: 2 }, seed: 'kd' };
    const cpu = await on('cpu', () => train(task));
    const standIn = await on('stand-in', () => train(task));
    expect(Math.abs(standIn.meanLoss - cpu.meanLoss)).toBeLessThan(1e-5);
    expect(maxDiff(standIn.weights, cpu.weights)).toBeLessThan(WEIGHT_TOLERANCE);
  });

  it('trains with the FedProx proximal term as cpu does (stock ops only)', async () => {
    const weights = initWeights(TOY_CONFIG, ['audio'], 'prox');
    const task: TrainTask = { kind: 'fedprox', model: 'audio', weights, sampleIndices: range(48), hyper, params: { mu: 0.5 }, seed: 'prox' };
    const cpu = await on('cpu', () => train(task));
    const standIn = await on('stand-in', () => train(task));
    expect(Math.abs(standIn.meanLoss - cpu.meanLoss)).toBeLessThan(1e-5);
    expect(maxDiff(standIn.weights, cpu.weights)).toBeLessThan(WEIGHT_TOLERANCE);
  });

  it.each<ModelKind>(['audio', 'video', 'av'])('evaluates the %s model as cpu does (also with video zeroed)', async (model) => {
    const weights = initWeights(TOY_CONFIG, [model], `eval-${model}`);
    for (const zeroVideo of model === 'av' ? [false, true] : [false]) {
      const task = { model, weights, sampleIndices: range(48), batchSize: 16, zeroVideo };
      const cpu = await on('cpu', () => runEvaluate(task, store, TOY_CONFIG));
      const standIn = await on('stand-in', () => runEvaluate(task, store, TOY_CONFIG));
      expect(Array.from(standIn.predictions)).toEqual(Array.from(cpu.predictions));
      expect(Math.abs(standIn.meanLoss - cpu.meanLoss)).toBeLessThan(1e-6);
    }
  });
});
