import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { WeightMap } from '../../src/core/weights.js';
import { InlineTrainer } from '../../src/train/inline-trainer.js';
import { PoolTrainer } from '../../src/train/pool-trainer.js';
import type { Trainer, TrainTask } from '../../src/protocol/trainer.js';
import { range, TOY_CONFIG, TOY_HYPER, toyStore } from './toy-data.js';

const store = toyStore();

function hashWeights(weights: WeightMap): string {
  const h = createHash('sha256');
  for (const key of Object.keys(weights).sort()) {
    h.update(key);
    h.update(new Uint8Array(weights[key].buffer, weights[key].byteOffset, weights[key].byteLength));
  }
  return h.digest('hex');
}

/** A round's worth of different tasks, submitted at once; returns one hash per result. */
async function runRound(trainer: Trainer): Promise<string[]> {
  const init = await trainer.initWeights(['audio', 'video', 'av'], 'pool-test');
  const tasks: TrainTask[] = [
    { kind: 'supervised', model: 'av', weights: init, sampleIndices: range(20), hyper: TOY_HYPER, seed: 'c0' },
    { kind: 'supervised', model: 'audio', weights: init, sampleIndices: range(20, 20), hyper: TOY_HYPER, seed: 'c1' },
    { kind: 'supervised', model: 'av', weights: init, sampleIndices: range(20, 40), hyper: TOY_HYPER, seed: 'c2', zeroVideo: true, trainModules: ['audio', 'fusion'] },
    { kind: 'supervised', model: 'video', weights: init, sampleIndices: range(15, 5), hyper: TOY_HYPER, seed: 'c3' },
    { kind: 'distill', model: 'audio', weights: init, frozen: init, sampleIndices: range(24), hyper: TOY_HYPER, params: { alpha: 0.5, temperature: 2 }, seed: 'c4' },
  ];
  const results = await Promise.all([...tasks.map((t) => trainer.train(t)), trainer.evaluate({ model: 'av', weights: init, sampleIndices: range(60), batchSize: 16 })]);
  const evalResult = results.pop() as Awaited<ReturnType<Trainer['evaluate']>>;
  // The caller's weights are untouched (tasks got copies; the copies were transferred).
  expect(init['audio.gru/kernel'].length).toBeGreaterThan(0);
  return [
    hashWeights(init),
    ...results.map((r) => `${hashWeights((r as { weights: WeightMap }).weights)}:${(r as { meanLoss: number }).meanLoss}`),
    `${Array.from(evalResult.predictions).join('')}:${evalResult.meanLoss}`,
  ];
}

describe('trainers', () => {
  let one: PoolTrainer | null = null;
  const open: Trainer[] = [];
  afterAll(async () => {
    await Promise.all(open.map((t) => t.close()));
  });

  it('give bitwise-identical results inline, on 1 worker and on 2 workers', async () => {
    const inline = await InlineTrainer.create({ store, config: TOY_CONFIG });
    one = await PoolTrainer.create({ store, config: TOY_CONFIG, workers: 1 });
    const two = await PoolTrainer.create({ store, config: TOY_CONFIG, workers: 2 });
    open.push(inline, one, two);
    expect(one.backend).toBe(inline.backend);
    const expected = await runRound(inline);
    expect(new Set(expected.slice(1)).size).toBe(expected.length - 1); // tasks really differ
    const [fromOne, fromTwo] = await Promise.all([runRound(one!), runRound(two)]);
    expect(fromOne).toEqual(expected);
    expect(fromTwo).toEqual(expected);
    // Inline twice: the cached models carry no state from one task to the next.
    expect(await runRound(inline)).toEqual(expected);
  });

  it('rejects a pool of 0 workers', async () => {
    await expect(PoolTrainer.create({ store, config: TOY_CONFIG, workers: 0 })).rejects.toThrow(/workers = 0/);
  });

  it('reports a bad task as a rejected promise, naming the field, and keeps working', async () => {
    const pool = one ?? (await PoolTrainer.create({ store, config: TOY_CONFIG, workers: 1 }));
    if (pool !== one) open.push(pool);
    const init = await pool.initWeights(['audio'], 'x');
    await expect(
      pool.train({ kind: 'supervised', model: 'audio', weights: init, sampleIndices: [0, 1000], hyper: TOY_HYPER, seed: 's' }),
    ).rejects.toThrow(/sampleIndices\[1\] = 1000/);
    const ok = await pool.train({ kind: 'supervised', model: 'audio', weights: init, sampleIndices: [0, 1, 2], hyper: TOY_HYPER, seed: 's' });
    expect(ok.steps).toBe(1);
  });
  it('start tasks in the order they were given (a pool queue that rotates would undo longest-first and evaluation-last)', async () => {
    const pool = await PoolTrainer.create({ store, config: TOY_CONFIG, workers: 1 });
    open.push(pool);
    const init = await pool.initWeights(['audio'], 'fifo-test');
    // One worker: it runs one task at a time, so the order they finish in is the order they started in.
    const finished: number[] = [];
    const tasks = Array.from({ length: 6 }, (_, i) => pool.evaluate({ model: 'audio', weights: init, sampleIndices: range(8 + i), batchSize: 4 }).then(() => finished.push(i)));
    await Promise.all(tasks);
    expect(finished).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
