// The pool's workers choose the tfjs backend themselves (the main thread never loads tfjs): they
// must all report the same one, a pool whose workers disagree fails to start naming each worker's,
// and a replacement worker that started another backend still computes on the run's. A pool can
// start before its data exists (PoolTrainer.start) and get it later (attach), or be stopped.
import { afterAll, describe, expect, it } from 'vitest';
import { hashValue } from '../../src/core/codec.js';
import { agreedBackend, PoolTrainer } from '../../src/train/pool-trainer.js';
import type { SupervisedTask } from '../../src/protocol/trainer.js';
import { startBackendPlan, workerFaultPlan } from '../../src/train/worker-faults.js';
import { range, TOY_CONFIG, TOY_HYPER, toyStore } from './toy-data.js';

const store = toyStore();
const open: PoolTrainer[] = [];
afterAll(async () => {
  await Promise.all(open.map((t) => t.close()));
});

const task = (seed: string, weights: SupervisedTask['weights']): SupervisedTask => ({ kind: 'supervised', model: 'audio', weights, sampleIndices: range(24), hyper: TOY_HYPER, seed });

describe('the backend of a worker pool', () => {
  it('is the one every worker reported; different reports are an error naming each', () => {
    expect(agreedBackend(['wasm'])).toBe('wasm');
    expect(agreedBackend(['cpu', 'cpu', 'cpu'])).toBe('cpu');
    expect(() => agreedBackend(['wasm', 'cpu', 'wasm'])).toThrow('PoolTrainer: the workers started different tfjs backends (worker 1: wasm, worker 2: cpu, worker 3: wasm); a run computes on one backend: pass --backend to choose it');
  });

  it('is chosen by the workers: the one asked for, else the same on every worker', async () => {
    const asked = await PoolTrainer.create({ store, config: TOY_CONFIG, workers: 2, backend: 'cpu' });
    open.push(asked);
    expect(asked.backend).toBe('cpu');
    const chosen = await PoolTrainer.create({ store, config: TOY_CONFIG, workers: 2 });
    open.push(chosen);
    expect(['tensorflow', 'wasm']).toContain(chosen.backend); // cpu is the last resort, wasm ships with the package
  });

  it('fails to start when its workers start different backends', async () => {
    // The first worker to start takes cpu, the second the wasm asked for.
    await expect(PoolTrainer.create({ store, config: TOY_CONFIG, workers: 2, backend: 'wasm', startBackends: startBackendPlan(['cpu']) })).rejects.toThrow(
      /^PoolTrainer: the workers started different tfjs backends \(worker 1: (cpu|wasm), worker 2: (cpu|wasm)\); a run computes on one backend: pass --backend to choose it$/,
    );
  });

  it('stays the run backend on a replacement worker that started another one', async () => {
    const [onWasm, onCpu] = [await PoolTrainer.create({ store, config: TOY_CONFIG, workers: 1, backend: 'wasm' }), await PoolTrainer.create({ store, config: TOY_CONFIG, workers: 1, backend: 'cpu' })];
    open.push(onWasm, onCpu);
    const init = await onWasm.initWeights(['audio'], 'replacement');
    const [wasmHash, cpuHash] = [hashValue(await onWasm.train(task('swap', init))), hashValue(await onCpu.train(task('swap', init)))];
    expect(cpuHash).not.toBe(wasmHash); // the two backends are told apart by this task
    // The first worker starts wasm; its task exits it, and the replacement starts cpu on its own.
    const pool = await PoolTrainer.create({ store, config: TOY_CONFIG, workers: 1, backend: 'wasm', startBackends: startBackendPlan(['wasm', 'cpu']), faults: [workerFaultPlan('swap', 'exit', 1)] });
    open.push(pool);
    expect(pool.backend).toBe('wasm');
    expect(hashValue(await pool.train(task('swap', init)))).toBe(wasmHash);
    expect(pool.failedRuns).toBe(1);
  });

  it('can start before its data: attach hands it over (same results as a pool made with it), abort stops it', async () => {
    const made = await PoolTrainer.create({ store, config: TOY_CONFIG, workers: 1, backend: 'wasm' });
    open.push(made);
    const starting = PoolTrainer.start({ workers: 2, backend: 'wasm' });
    const attached = await starting.attach(store, TOY_CONFIG);
    open.push(attached);
    await expect(starting.attach(store, TOY_CONFIG)).rejects.toThrow('PoolTrainer: attach() called twice');
    expect(attached.backend).toBe('wasm');
    const init = await made.initWeights(['audio'], 'attach');
    expect(hashValue(await attached.initWeights(['audio'], 'attach'))).toBe(hashValue(init));
    const results = await Promise.all(['a', 'b'].map((seed) => attached.train(task(seed, init))));
    for (const [i, seed] of ['a', 'b'].entries()) expect(hashValue(results[i])).toBe(hashValue(await made.train(task(seed, init))));
    // A pool stopped before its data came (a refused run) ends without a task run.
    await expect(PoolTrainer.start({ workers: 2 }).abort()).resolves.toBeUndefined();
    expect(() => PoolTrainer.start({ workers: 0 })).toThrow(/workers = 0/);
  });
});
