import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRunConfig } from '../../src/engine/build-run-config.js';
import { createTrainer } from '../../src/engine/create-trainer.js';
import { loadScenarioData } from '../../src/scenario/prepare-dataset.js';
import { runSimulation } from '../../src/engine/run-simulation.js';
import { QueueTrainer } from '../../src/queue/queue-trainer.js';
import { tinyScenario } from '../helpers/tiny-scenario.js';
import { startRedis, type RedisServer } from './redis-server.js';
import { startCli, startWorker, stopCli, type CliProcess } from './worker-process.js';

// Real tfjs training: the tasks of a run on 1, 2 or 3 worker processes through Redis give the bits
// of the local pool, and the run leaves nothing of its own in Redis.
describe('training on the queue', () => {
  const scenario = tinyScenario({ algorithm: { name: 'modality-mirror', rounds: 2 } });
  const dataset = loadScenarioData(scenario, 'tiny');
  const config = buildRunConfig(scenario, dataset, 'tiny');
  let redis: RedisServer;
  const workers: CliProcess[] = [];

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const w of workers) await stopCli(w, 'SIGKILL');
    await redis?.stop();
  });

  it('gives the local pool\'s traceHash and weightsHash with 1, 2 and 3 workers, and leaves no job, payload or result behind', async () => {
    const pool = await createTrainer({ workers: 2, backend: 'wasm' }, dataset.store, config.model);
    const local = await runSimulation(config, pool).finally(() => pool.close());
    expect(local.rounds.every((r) => r.succeeded.length > 0)).toBe(true);

    for (const count of [1, 2, 3]) {
      while (workers.length < count) workers.push(await startWorker(redis.url));
      const trainer = (await createTrainer({ workers: 0, backend: 'wasm', queue: { url: redis.url } }, dataset.store, config.model)) as QueueTrainer;
      expect(trainer).toBeInstanceOf(QueueTrainer);
      const result = await runSimulation(config, trainer).finally(() => trainer.close());
      expect(result.backend).toBe('wasm');
      expect({ count, trace: result.traceHash, weights: result.weightsHash }).toEqual({ count, trace: local.traceHash, weights: local.weightsHash });
      expect(trainer.stats.jobs).toBeGreaterThan(10);
      expect(trainer.stats.bytesOut).toBeGreaterThan(trainer.stats.jobs * 100);
      expect(trainer.stats.bytesIn).toBeGreaterThan(0);
      // Nothing of the run is left: no payload or result key, no job; only BullMQ's own queue bookkeeping.
      const keys = (await redis.client.keys('*')).sort();
      expect(keys.filter((k) => !/^bull:modality-mirror:(events|id|meta|stalled-check|marker)$/.test(k))).toEqual([]);
    }
    // Every worker computed tasks (the last one joined for the last run only).
    for (const w of workers) expect(w.output()).toMatch(/task \S+ done in \d+ ms/);
    expect(workers[0].output()).toMatch(/loaded synthetic seed 1: \d+ samples, content hash [0-9a-f]{12}/);
  });

  it('adds a task once however often it is asked for while in flight (deterministic job ids)', async () => {
    const trainer = (await createTrainer({ workers: 0, backend: 'wasm', queue: { url: redis.url } }, dataset.store, config.model)) as QueueTrainer;
    try {
      const weights = await trainer.initWeights(['audio'], 'dup');
      const task = { model: 'audio' as const, weights, sampleIndices: dataset.split.test, batchSize: 8 };
      const [a, b] = await Promise.all([trainer.evaluate(task), trainer.evaluate(task)]);
      expect(trainer.stats.jobs).toBe(2); // init + one evaluation
      expect(a).not.toBe(b); // each caller gets its own copy
      expect(Array.from(b.predictions)).toEqual(Array.from(a.predictions));
      expect(a.labels.length).toBe(dataset.split.test.length);
    } finally {
      await trainer.close();
    }
  });

  it('sweep --queue writes the cells of the local sweep, hash for hash', async () => {
    const sweep = (extra: string[]) => {
      const out = mkdtempSync(join(tmpdir(), 'mm-queue-sweep-'));
      const cli = startCli(['sweep', 'scenarios/default.ts', '--vary', 'clientsPerRound=3,5', '--methods', 'unifl', '--seeds', '1', '--rounds', '2', '--set', 'data.samplesPerClass=60', '--backend', 'wasm', '--out', out, ...extra]);
      return cli.exited.then((code) => {
        expect(code, cli.output()).toBe(0);
        const cells = (JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8')) as { cells: Array<{ traceHash: string; weightsHash: string }> }).cells;
        return cells.map((c) => [c.traceHash, c.weightsHash]);
      });
    };
    const local = await sweep(['--workers', '2']);
    expect(local).toHaveLength(2);
    expect(await sweep(['--queue', redis.url])).toEqual(local);
  });

  it('stops a worker cleanly on SIGTERM', async () => {
    const worker = workers.pop()!;
    expect(await stopCli(worker, 'SIGTERM')).toBe(0);
    expect(worker.output()).toMatch(/SIGTERM: finishing the tasks in hand, then stopping\n.*stopped\n$/);
  });
});
