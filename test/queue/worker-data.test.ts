import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from './redis-server.js';
import { startCli, startWorker, stopCli, type CliProcess } from './worker-process.js';

const FIXTURE = 'test/fixtures/npy/toy';
const compare = (url: string, out: string, lazy = false) => ['compare', 'scenarios/default.ts', '--methods', 'unifl', '--missing', '0.5', '--seeds', '1', '--rounds', '2', '--data', `npy:${FIXTURE}`, '--backend', 'wasm', '--queue', url, '--out', out, ...(lazy ? ['--set', 'data.load=lazy'] : [])];

// A worker reads NPY data from its own folder (--data) and serves a run only when that data's
// content hash is the coordinator's.
describe('a worker\'s own copy of the data', () => {
  let redis: RedisServer;
  const started: CliProcess[] = [];
  /** A copy of the fixture; `change`: the first feature value of sample 0 (of `samples` samples) slightly off. */
  const copy = (change: boolean, samples = 1) => {
    const dir = join(mkdtempSync(join(tmpdir(), 'mm-npy-')), 'toy');
    cpSync(FIXTURE, dir, { recursive: true });
    if (change) {
      const file = join(dir, 'audio.npy');
      const bytes = readFileSync(file);
      const first = 10 + bytes.readUInt16LE(8); // NPY v1: magic, version, header length, header
      for (let s = 0; s < samples; s++) bytes[first + s * 30 * 8 * 4 + 2] ^= 0x01; // the first feature value of the sample, slightly off
      writeFileSync(file, bytes);
    }
    return dir;
  };

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const p of started) await stopCli(p, 'SIGKILL');
    await redis?.stop();
  });

  it('serves the run from an identical copy elsewhere', async () => {
    const worker = await startWorker(redis.url, ['--data', `npy:${copy(false)}`]);
    started.push(worker);
    const run = startCli(compare(redis.url, mkdtempSync(join(tmpdir(), 'mm-queue-'))));
    started.push(run);
    expect(await run.exited).toBe(0);
    expect(worker.output()).toMatch(/loaded npy \/\S+\/toy: 56 samples, content hash [0-9a-f]{12}/);
    expect(await stopCli(worker)).toBe(0);
  });

  it('refuses every task when its copy differs by one value: the run fails with the reason (exit 1)', async () => {
    const worker = await startWorker(redis.url, ['--data', `npy:${copy(true)}`]);
    started.push(worker);
    const run = startCli(compare(redis.url, mkdtempSync(join(tmpdir(), 'mm-queue-'))));
    started.push(run);
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/error: .*refused: this worker's data \(npy \/\S+\/toy\) has content hash [0-9a-f]{12}…, the run's data [0-9a-f]{12}… \(not the same data\)/);
    expect(await stopCli(worker)).toBe(0);
  });

  // Lazily loaded data: the store hash covers what is read at load (labels, lengths, dev and test);
  // a client's features are compared per task, after the worker reads them for that task.
  it('lazily: the same copy serves the run; a copy off in the training samples is refused by each task that reads them (exit 1)', async () => {
    const good = await startWorker(redis.url, ['--data', `npy:${copy(false)}`]);
    started.push(good);
    const run = startCli(compare(redis.url, mkdtempSync(join(tmpdir(), 'mm-queue-')), true));
    started.push(run);
    expect(await run.exited).toBe(0);
    expect(good.output()).toMatch(/loaded npy \/\S+\/toy: 56 samples, content hash [0-9a-f]{12} \(read lazily/);
    expect(await stopCli(good)).toBe(0);

    // Samples 0-41 are the training samples (split.npy), none read at load: the store hashes agree,
    // and every training task is refused for the samples it reads, so every round fails alike.
    const bad = await startWorker(redis.url, ['--data', `npy:${copy(true, 42)}`]);
    started.push(bad);
    const refused = startCli(compare(redis.url, mkdtempSync(join(tmpdir(), 'mm-queue-')), true));
    started.push(refused);
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toMatch(/refused: this worker's data \(npy \/\S+\/toy\) differs from the run's in the samples this task reads: hash [0-9a-f]{12}…, the run's [0-9a-f]{12}… \(not the same data\)/);
    expect(await stopCli(bad)).toBe(0);
  });
});
