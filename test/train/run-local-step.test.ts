import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/model/backend.js';
import { getWeightMap } from '../../src/model/weight-map.js';
import { initWeights } from '../../src/train/init-weights.js';
import { cachedModel } from '../../src/train/model-cache.js';
import { runEvaluate } from '../../src/train/run-evaluate.js';
import { runLocalStep } from '../../src/train/run-local-step.js';
import type { SupervisedTask } from '../../src/protocol/trainer.js';
import { range, TOY_CONFIG, TOY_HYPER, toyStore } from './toy-data.js';

const store = toyStore();
const initial = () => initWeights(TOY_CONFIG, ['audio', 'video', 'av'], 'init-seed');

function task(overrides: Partial<SupervisedTask> = {}): SupervisedTask {
  return { kind: 'supervised', model: 'av', weights: initial(), sampleIndices: range(30), hyper: TOY_HYPER, seed: 'task-seed', ...overrides };
}

describe('runLocalStep', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('lowers the loss on a separable set', () => {
    let weights = initial();
    const evalTask = () => ({ model: 'audio' as const, weights, sampleIndices: range(60), batchSize: 32 });
    const before = runEvaluate(evalTask(), store, TOY_CONFIG);
    // PyTorch's default initialisation leaves this toy on a plateau for ~30 rounds (as on real data).
    for (let round = 0; round < 40; round++) {
      const result = runLocalStep(task({ model: 'audio', weights, sampleIndices: range(60), seed: `round-${round}` }), store, TOY_CONFIG);
      expect(result.steps).toBe(8); // 60 samples in batches of 8
      expect(result.numSamples).toBe(60);
      weights = { ...weights, ...result.weights };
    }
    const after = runEvaluate(evalTask(), store, TOY_CONFIG);
    expect(after.meanLoss).toBeLessThan(before.meanLoss * 0.5);
    const accuracy = after.predictions.filter((p, i) => p === after.labels[i]).length / 60;
    expect(accuracy).toBeGreaterThan(0.8);
  });

  it('changes and returns only trainModules; frozen modules keep their values', () => {
    const weights = initial();
    const result = runLocalStep(task({ weights, trainModules: ['fusion'] }), store, TOY_CONFIG);
    expect(Object.keys(result.weights).every((k) => k.startsWith('fusion.'))).toBe(true);
    expect(result.weights['fusion.out/kernel']).not.toEqual(weights['fusion.out/kernel']);
    const inModel = getWeightMap(cachedModel(TOY_CONFIG, 'av'));
    for (const key of Object.keys(inModel).filter((k) => !k.startsWith('fusion.'))) {
      expect(inModel[key], key).toEqual(weights[key]);
    }
  });

  it('is bitwise reproducible and depends on the seed', () => {
    const a = runLocalStep(task(), store, TOY_CONFIG);
    const b = runLocalStep(task(), store, TOY_CONFIG);
    const c = runLocalStep(task({ seed: 'other-seed' }), store, TOY_CONFIG);
    expect(Object.keys(a.weights)).toEqual(Object.keys(b.weights));
    for (const key of Object.keys(a.weights)) expect(b.weights[key], key).toEqual(a.weights[key]);
    expect(b.meanLoss).toBe(a.meanLoss);
    expect(c.weights['fusion.out/kernel']).not.toEqual(a.weights['fusion.out/kernel']);
  });

  it('zeroVideo makes results independent of the video content', () => {
    const shifted = toyStore(60, 'toy', 3); // same audio and labels, different video
    const weights = initial();
    const evaluate = (s: typeof store, zeroVideo: boolean) =>
      runEvaluate({ model: 'av', weights, sampleIndices: range(60), batchSize: 16, zeroVideo }, s, TOY_CONFIG);
    expect(evaluate(shifted, true).meanLoss).toBe(evaluate(store, true).meanLoss);
    expect(evaluate(shifted, false).meanLoss).not.toBe(evaluate(store, false).meanLoss);
    const trainA = runLocalStep(task({ zeroVideo: true }), store, TOY_CONFIG);
    const trainB = runLocalStep(task({ zeroVideo: true }), shifted, TOY_CONFIG);
    for (const key of Object.keys(trainA.weights)) expect(trainB.weights[key], key).toEqual(trainA.weights[key]);
    // No video signal reaches the video GRU: only weight decay moves it (w·(1 - lr·wd) per step, with momentum).
    const k = 'video.gru/kernel';
    const ratio = trainA.weights[k][0] / weights[k][0];
    // A store without any video still trains an 'av' model with zeroed video.
    const noVideo = { ...store, video: null };
    const trainC = runLocalStep(task({ zeroVideo: true }), noVideo, TOY_CONFIG);
    for (const key of Object.keys(trainA.weights)) expect(trainC.weights[key], key).toEqual(trainA.weights[key]);
    expect(() => runLocalStep(task(), noVideo, TOY_CONFIG)).toThrow(/has no video/);
    expect(ratio).toBeLessThan(1);
    expect(ratio).toBeGreaterThan(0.99);
  });

  it('leaves no tensors behind (training, distillation, evaluation)', () => {
    const weights = initial();
    const all = () => {
      runLocalStep(task({ weights }), store, TOY_CONFIG);
      runLocalStep(
        { kind: 'distill', model: 'audio', weights, frozen: weights, sampleIndices: range(20), hyper: TOY_HYPER, params: { alpha: 0.5, temperature: 2 }, seed: 'd' },
        store,
        TOY_CONFIG,
      );
      runEvaluate({ model: 'video', weights, sampleIndices: range(20), batchSize: 7 }, store, TOY_CONFIG);
    };
    all(); // builds and caches the models (their variables stay)
    const before = tf.memory().numTensors;
    all();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names the bad field of a bad task', () => {
    expect(() => runLocalStep(task({ sampleIndices: [0, 99] }), store, TOY_CONFIG)).toThrow(/sampleIndices\[1\] = 99/);
    expect(() => runLocalStep(task({ trainModules: ['audioHead'] }), store, TOY_CONFIG)).toThrow(/'audioHead'/);
    expect(() => runLocalStep(task({ hyper: { ...TOY_HYPER, batchSize: 0 } }), store, TOY_CONFIG)).toThrow(/batchSize = 0/);
    expect(() => runLocalStep({ ...task(), kind: 'no-such-objective' }, store, TOY_CONFIG)).toThrow('unknown local objective "no-such-objective"; registered: supervised, ');
    expect(() => runLocalStep({ ...task({ model: 'audio' }), kind: 'distill', params: { alpha: 0.5, temperature: 2 } }, store, TOY_CONFIG)).toThrow("distill 'audio' task (seed task-seed): objective 'distill' reads a frozen 'av' model, but the task has no frozen weights");
    expect(() => runLocalStep({ ...task({ model: 'audio' }), kind: 'distill', frozen: task().weights, params: { alpha: 1.5, temperature: 2 } }, store, TOY_CONFIG)).toThrow("params.alpha = 1.5 is invalid: the CE weight of ModalityMirror's distillation loss, in [0, 1]");
  });
});

describe('label-flipping clients', () => {
  it('labelShift trains on labels shifted by one class (y → (y + 1) mod C)', async () => {
    const { gatherBatch } = await import('../../src/train/batches.js');
    expect(Array.from(gatherBatch(store, TOY_CONFIG, 'audio', [0, 1, 2], false, 1).labels)).toEqual([1, 2, 0]);
    expect(Array.from(gatherBatch(store, TOY_CONFIG, 'audio', [0, 1, 2]).labels)).toEqual([0, 1, 2]);
    const honest = runLocalStep(task({ model: 'audio' }), store, TOY_CONFIG);
    const flipped = runLocalStep(task({ model: 'audio', labelShift: 1 }), store, TOY_CONFIG);
    expect(flipped.weights['audioHead.out/kernel']).not.toEqual(honest.weights['audioHead.out/kernel']);
  });
});
