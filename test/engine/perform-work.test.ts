import { describe, expect, it } from 'vitest';
import { createPerformer, workSize } from '../../src/engine/perform-work.js';
import type { Message } from '../../src/protocol/messages.js';
import type { PendingWork } from '../../src/protocol/work.js';
import type { EvalResult, EvalTask, Trainer, TrainResult, TrainTask } from '../../src/protocol/trainer.js';

/** A trainer that records the order tasks reach it (as a pool would queue them) and answers at once. */
class RecordingTrainer implements Trainer {
  readonly backend = 'fake';
  readonly order: string[] = [];
  initWeights() {
    return Promise.resolve({});
  }
  train(task: TrainTask): Promise<TrainResult> {
    this.order.push(`train ${task.seed.split('/')[2]} n=${task.sampleIndices.length}`);
    return Promise.resolve({ weights: {}, numSamples: task.sampleIndices.length, meanLoss: 0, steps: 1 });
  }
  evaluate(task: EvalTask): Promise<EvalResult> {
    this.order.push(`eval n=${task.sampleIndices.length}`);
    return Promise.resolve({ predictions: new Int32Array(0), labels: new Int32Array(0), meanLoss: 0 });
  }
  close() {
    return Promise.resolve();
  }
}

const hyper = (epochs: number) => ({ epochs, batchSize: 2, lr: 0.1, momentum: 0, weightDecay: 0, clipNorm: 0 });
const train = (clientId: string, samples: number, epochs = 1): PendingWork => ({
  kind: 'train',
  plan: { weights: {}, steps: [{ kind: 'supervised', model: 'audio' }], hyper: hyper(epochs) },
  binding: { seed: 1, clientId, round: 0, sampleIndices: Array.from({ length: samples }, (_, i) => i), hasVideo: false, local: null },
});
const trainDone = { type: 'train/done', round: 0 } as Message;
const evalDone = { type: 'eval/done', round: 0, phase: 'p', specs: [{ name: 'audio', model: 'audio', weights: {} }] } as Message;

describe('the work performer', () => {
  it('starts training at once while none runs, holds the rest until flush(), then starts training longest-first (samples × epochs, ties in arrival order) and evaluation last', async () => {
    const trainer = new RecordingTrainer();
    const perform = createPerformer(trainer, { dev: [0, 1], test: [2, 3, 4], batchSize: 4 });
    // Nothing runs yet: the first piece of work starts at once (the workers would idle otherwise).
    const first = perform(train('z', 1), trainDone);
    expect(trainer.order).toEqual(['train z n=1']);
    const outcomes = [
      perform({ kind: 'eval' }, evalDone),
      perform(train('a', 2), trainDone),
      perform(train('b', 5), trainDone),
      perform(train('c', 2, 3), trainDone), // 6 sample-epochs: more than b's 5
      perform(train('d', 5), trainDone),
      perform(train('e', 3), trainDone),
    ];
    expect(trainer.order).toEqual(['train z n=1']);
    perform.flush();
    // The order the trainer (a pool's FIFO queue) received them in.
    expect(trainer.order.slice(1)).toEqual(['train c n=2', 'train b n=5', 'train d n=5', 'train e n=3', 'train a n=2', 'eval n=2', 'eval n=3']);
    await first;
    const results = await Promise.all(outcomes);
    expect(results.slice(1).map((r) => (r as { result: TrainResult }).result.numSamples)).toEqual([2, 5, 2, 5, 3]);
    expect((results[0] as { result: Array<{ name: string }> }).result.map((o) => o.name)).toEqual(['audio']);
    // All done: work given now starts at once again; work given while it runs waits for a flush.
    const late = perform(train('f', 1), trainDone);
    const later = perform(train('g', 9), trainDone);
    expect(trainer.order.slice(8)).toEqual(['train f n=1']);
    perform.flush();
    await Promise.all([late, later]);
    expect(trainer.order.slice(8)).toEqual(['train f n=1', 'train g n=9']);
  });

  it('holds evaluation until flush() even while nothing runs, so the next round\'s training goes ahead of it', async () => {
    const trainer = new RecordingTrainer();
    const perform = createPerformer(trainer, { dev: [0, 1], test: [2, 3, 4], batchSize: 4 });
    // A round closes: its evaluation is given first, then the next round's training.
    const evaluation = perform({ kind: 'eval' }, evalDone);
    expect(trainer.order).toEqual([]);
    const trainings = [perform(train('a', 2), trainDone), perform(train('b', 4), trainDone)];
    expect(trainer.order).toEqual(['train a n=2']); // training starts at once while nothing runs
    perform.flush();
    expect(trainer.order).toEqual(['train a n=2', 'train b n=4', 'eval n=2', 'eval n=3']);
    await Promise.all([evaluation, ...trainings]);
    // The last round's evaluation: nothing follows it, and the flush at the end of the run starts it.
    const last = perform({ kind: 'eval' }, { ...evalDone, specs: [{ name: 'student', model: 'audio', weights: {} }] } as Message);
    expect(trainer.order).toHaveLength(4);
    perform.flush();
    expect(trainer.order.slice(4)).toEqual(['eval n=2', 'eval n=3']);
    await last;
  });

  it('sizes training by samples × epochs × steps, and evaluation below any training', () => {
    expect(workSize(train('a', 4, 2))).toBeGreaterThan(workSize(train('b', 7, 1)));
    expect(workSize(train('empty', 0))).toBeGreaterThan(workSize({ kind: 'eval' }));
  });
});
