import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from './redis-server.js';
import { startCli, startWorker, stopCli, type CliProcess } from './worker-process.js';

const FIXTURE = 'test/fixtures/npy/toy';
const compare = (url: string, out: string) => ['compare', 'scenarios/default.ts', '--methods', 'unifl', '--missing', '0.5', '--seeds', '1', '--rounds', '2', '--data', `npy:${FIXTURE}`, '--backend', 'wasm', '--queue', url, '--out', out];

// A worker reads NPY data from its own folder (--data) and serves a run only when that data's
// content hash is the coordinator's.
describe('a worker\'s own copy of the data', () => {
  let redis: RedisServer;
  const started: CliProcess[] = [];
  const copy = (change: boolean) => {
    const dir = join(mkdtempSync(join(tmpdir(), 'mm-npy-')), 'toy');
    cpSync(FIXTURE, dir, { recursive: true });
    if (change) {
      const file = join(dir, 'audio.npy');
      const bytes = readFileSync(file);
      const first = 10 + bytes.readUInt16LE(8); // NPY v1: magic, version, header length, header
      bytes[first + 2] ^= 0x01; // the first feature value of the first sample, slightly off
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
});
