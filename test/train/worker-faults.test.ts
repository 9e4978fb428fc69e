import { afterAll, describe, expect, it } from 'vitest';
import { hashValue } from '../../src/core/codec.js';
import { buildRunConfig } from '../../src/engine/build-run-config.js';
import { loadScenarioData } from '../../src/scenario/prepare-dataset.js';
import { runSimulation } from '../../src/engine/run-simulation.js';
import { InlineTrainer } from '../../src/train/inline-trainer.js';
import { PoolTrainer } from '../../src/train/pool-trainer.js';
import type { EvalTask, SupervisedTask } from '../../src/protocol/trainer.js';
import { workerFaultPlan } from '../../src/train/worker-faults.js';
import { tinyScenario } from '../helpers/tiny-scenario.js';
import { range, TOY_CONFIG, TOY_HYPER, toyStore } from './toy-data.js';

const store = toyStore();
const open: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all(open.map((t) => t.close()));
});

const task = (seed: string, weights: SupervisedTask['weights']): SupervisedTask => ({ kind: 'supervised', model: 'audio', weights, sampleIndices: range(24), hyper: TOY_HYPER, seed });
const evalTask = (weights: EvalTask['weights'], sampleIndices = range(60), batchSize = 16): EvalTask => ({ model: 'audio', weights, sampleIndices, batchSize });

describe('a pool worker that breaks', () => {
  it('is replaced and its task run again (same result), for a task that throws, exits its worker or poisons it', async () => {
    const inline = await InlineTrainer.create({ store, config: TOY_CONFIG });
    const pool = await PoolTrainer.create({
      store, config: TOY_CONFIG, workers: 1,
      faults: [workerFaultPlan('throws', 'throw', 1), workerFaultPlan('exits', 'exit', 1), workerFaultPlan('poisons', 'poison', 1), workerFaultPlan('always', 'throw', 99)],
    });
    open.push(inline, pool);
    const init = await inline.initWeights(['audio'], 'faults');
    for (const seed of ['throws', 'exits', 'poisons']) {
      const expected = hashValue(await inline.train(task(seed, init)));
      const before = pool.failedRuns;
      expect(hashValue(await pool.train(task(seed, init)))).toBe(expected);
      expect(pool.failedRuns).toBe(before + 1);
      // The next task on this one-worker pool runs on a fresh worker: a poisoned one would throw
      // "offset is out of bounds" here.
      expect(hashValue(await pool.evaluate(evalTask(init)))).toBe(hashValue(await inline.evaluate(evalTask(init))));
    }
    // A task that fails every time rejects with its reason after 3 runs, and the pool still works.
    const before = pool.failedRuns;
    await expect(pool.train(task('always', init))).rejects.toThrow('injected worker fault in task always (failed 3 times, each time on a fresh worker)');
    expect(pool.failedRuns).toBe(before + 3);
    expect(hashValue(await pool.train(task('fine', init)))).toBe(hashValue(await inline.train(task('fine', init))));
  });

  it('is replaced after a real out-of-memory task (an absurd batch), and the next evaluation is right', async () => {
    const inline = await InlineTrainer.create({ store, config: TOY_CONFIG });
    const pool = await PoolTrainer.create({ store, config: TOY_CONFIG, workers: 1, workerMemoryMb: 96, attempts: 2 });
    open.push(inline, pool);
    const init = await inline.initWeights(['audio'], 'oom');
    const absurd = Array.from({ length: 3_000_000 }, (_, i) => i % 60);
    await expect(pool.evaluate(evalTask(init, absurd, absurd.length))).rejects.toThrow(/out of memory \(failed 2 times, each time on a fresh worker\)/);
    expect(pool.failedRuns).toBe(2);
    expect(hashValue(await pool.evaluate(evalTask(init)))).toBe(hashValue(await inline.evaluate(evalTask(init))));
  });

  it.runIf(process.env.MM_WASM_OOM_TEST === '1')('(opt-in, ~1 min and 5 GB) is replaced after a task that runs the wasm heap out of memory', async () => {
    const inline = await InlineTrainer.create({ store, config: TOY_CONFIG, backend: 'wasm' });
    const pool = await PoolTrainer.create({ store, config: TOY_CONFIG, workers: 1, backend: 'wasm', attempts: 1 });
    open.push(inline, pool);
    const init = await inline.initWeights(['audio'], 'wasm-oom');
    const absurd = Array.from({ length: 4_000_000 }, (_, i) => i % 60);
    await expect(pool.evaluate(evalTask(init, absurd, absurd.length))).rejects.toThrow();
    expect(hashValue(await pool.evaluate(evalTask(init)))).toBe(hashValue(await inline.evaluate(evalTask(init))));
  });

  it('a task that fails on every run is recorded as a failed client with the reason; the run goes on', async () => {
    const scenario = tinyScenario({ algorithm: { name: 'unifl', rounds: 2 }, rounds: { clientsPerRound: 4 } });
    const dataset = loadScenarioData(scenario, 'tiny');
    const config = buildRunConfig(scenario, dataset, 'tiny');
    const pool = await PoolTrainer.create({ store: dataset.store, config: config.model, workers: 1, faults: [workerFaultPlan('/train/2/1/', 'exit', 99)] });
    open.push(pool);
    const result = await runSimulation(config, pool);
    expect(result.complete).toBe(true);
    expect(result.rounds[1].failed).toEqual([{ clientId: '2', reason: 'training failed: worker exited with code: 7 (failed 3 times, each time on a fresh worker)', atMs: expect.any(Number) }]);
    expect(result.rounds[1].succeeded).toHaveLength(3);
    expect(result.rounds[0].failed).toEqual([]);
  });
});
