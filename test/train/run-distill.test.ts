import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/model/backend.js';
import { initWeights } from '../../src/train/init-weights.js';
import { runLocalStep } from '../../src/train/run-local-step.js';
import type { TrainTask } from '../../src/protocol/trainer.js';
import { range, TOY_CONFIG, TOY_HYPER, toyStore } from './toy-data.js';

const store = toyStore();

describe('the distill objective (ModalityMirror phase 2) in runLocalStep', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('trains the audio student toward a trained teacher; reproducible; returns student modules only', () => {
    let teacher = initWeights(TOY_CONFIG, ['av'], 'teacher');
    // PyTorch's default initialisation leaves the toy model on a plateau for its first ~30 rounds.
    for (let round = 0; round < 40; round++) {
      const r = runLocalStep(
        { kind: 'supervised', model: 'av', weights: teacher, sampleIndices: range(60), hyper: TOY_HYPER, seed: `t${round}` },
        store,
        TOY_CONFIG,
      );
      teacher = { ...teacher, ...r.weights };
    }
    let student = initWeights(TOY_CONFIG, ['audio'], 'student');
    const task = (seed: string): TrainTask => ({
      kind: 'distill',
      model: 'audio',
      weights: student,
      frozen: teacher,
      sampleIndices: range(60),
      hyper: TOY_HYPER,
      params: { alpha: 0.5, temperature: 2 },
      seed,
    });
    const first = runLocalStep(task('d0'), store, TOY_CONFIG);
    expect(Object.keys(first.weights).every((k) => k.startsWith('audio.') || k.startsWith('audioHead.'))).toBe(true);
    const again = runLocalStep(task('d0'), store, TOY_CONFIG);
    for (const key of Object.keys(first.weights)) expect(again.weights[key], key).toEqual(first.weights[key]);
    let last = first;
    for (let round = 1; round < 40; round++) {
      student = { ...student, ...last.weights };
      last = runLocalStep(task(`d${round}`), store, TOY_CONFIG);
    }
    expect(last.meanLoss).toBeLessThan(first.meanLoss * 0.7);
  });
});
