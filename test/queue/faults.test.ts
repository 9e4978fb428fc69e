import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRunConfig } from '../../src/engine/build-run-config.js';
import { createTrainer } from '../../src/engine/create-trainer.js';
import { loadScenarioData } from '../../src/scenario/prepare-dataset.js';
import { runSimulation } from '../../src/engine/run-simulation.js';
import { tinyScenario } from '../helpers/tiny-scenario.js';
import { freePort, startRedis, type RedisServer } from './redis-server.js';
import { startCli, startWorker, stopCli, type CliProcess } from './worker-process.js';

// Short locks so a killed worker's task is free again within about a second.
const FAST_STALL = ['--lock-ms', '1000', '--stalled-ms', '300'];
const COMPARE = ['compare', 'scenarios/default.ts', '--methods', 'unifl', '--missing', '0.5', '--seeds', '1', '--set', 'data.samplesPerClass=60', '--rounds', '2', '--backend', 'wasm'];

describe('queue faults', () => {
  let redis: RedisServer;
  const started: CliProcess[] = [];
  const track = (p: CliProcess) => (started.push(p), p);

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const p of started) await stopCli(p, 'SIGKILL');
    await redis?.stop();
  });

  const scenario = tinyScenario();
  const dataset = loadScenarioData(scenario, 'tiny');
  const config = buildRunConfig(scenario, dataset, 'tiny');
  const localRun = async () => {
    const pool = await createTrainer({ workers: 1, backend: 'wasm' }, dataset.store, config.model);
    return runSimulation(config, pool).finally(() => pool.close());
  };

  it('loses nothing when a worker is killed mid-task: another worker takes the task over, the hashes are the local pool\'s', async () => {
    const local = await localRun();

    // The doomed worker holds every task it takes for 5 s, so the kill lands mid-task.
    const doomed = track(await startWorker(redis.url, [...FAST_STALL, '--task-delay-ms', '5000']));
    const trainer = await createTrainer({ workers: 0, backend: 'wasm', queue: { url: redis.url } }, dataset.store, config.model);
    const run = runSimulation(config, trainer).finally(() => trainer.close());
    const line = await doomed.waitFor(/task \S+ started/);
    const jobId = /task (\S+) started/.exec(line)![1];
    doomed.child.kill('SIGKILL');
    expect(await doomed.exited).toBe('SIGKILL');
    expect(doomed.output()).not.toMatch(/done in/);
    const survivor = track(await startWorker(redis.url, FAST_STALL));
    const result = await run;
    expect(result.traceHash).toBe(local.traceHash);
    expect(result.weightsHash).toBe(local.weightsHash);
    expect(survivor.output()).toContain(`task ${jobId} done in`);
    expect(await stopCli(survivor)).toBe(0);
  });

  it('finishes the task in hand on SIGTERM, then exits 0; the run goes on on another worker with the same hashes', async () => {
    const local = await localRun();
    const leaving = track(await startWorker(redis.url, ['--task-delay-ms', '1500']));
    const trainer = await createTrainer({ workers: 0, backend: 'wasm', queue: { url: redis.url } }, dataset.store, config.model);
    const run = runSimulation(config, trainer).finally(() => trainer.close());
    const jobId = /task (\S+) started/.exec(await leaving.waitFor(/task \S+ started/))![1];
    leaving.child.kill('SIGTERM');
    expect(await leaving.exited).toBe(0);
    expect(leaving.output()).toMatch(new RegExp(`SIGTERM: finishing the tasks in hand, then stopping\\n(.*\\n)*task ${jobId.replace(/[.+]/g, '\\$&')} done in`));
    const next = track(await startWorker(redis.url));
    const result = await run;
    expect(result.traceHash).toBe(local.traceHash);
    expect(result.weightsHash).toBe(local.weightsHash);
    expect(next.output()).not.toContain(`task ${jobId} started`); // finished once, not handed over
    expect(await stopCli(next)).toBe(0);
  });

  it('with no worker connected, says so on stderr and waits; a worker that connects later serves the run', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mm-queue-'));
    const coordinator = track(startCli([...COMPARE, '--queue', redis.url, '--out', out]));
    await coordinator.waitFor(/no worker connected; tasks wait until one connects \(start one: modality-mirror worker --queue redis:\/\/127\.0\.0\.1:\d+\)/);
    await new Promise((r) => setTimeout(r, 1500));
    expect(coordinator.child.exitCode).toBeNull(); // waiting, not gone
    const worker = track(await startWorker(redis.url));
    expect(await coordinator.exited).toBe(0);
    expect(coordinator.output()).toMatch(/1 worker connected \(\S+\)/);
    expect(JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8'))).toMatchObject({ complete: true, backend: 'wasm' });
    expect(await stopCli(worker)).toBe(0);
  });

  it('refuses a backend the workers cannot compute on: the run fails with the worker\'s reason (exit 1), nothing mixed in', async () => {
    const worker = track(await startWorker(redis.url));
    const coordinator = track(startCli([...COMPARE.filter((a) => a !== 'wasm' && a !== '--backend'), '--backend', 'tensorflow', '--queue', redis.url, '--out', mkdtempSync(join(tmpdir(), 'mm-queue-'))]));
    expect(await coordinator.exited).toBe(1);
    expect(coordinator.output()).toMatch(/error: .*this worker cannot compute on backend tensorflow: initBackend: backend 'tensorflow' could not be started/);
    expect(await stopCli(worker)).toBe(0);
  });

  it('stops the run with exit 1 naming the queue when Redis goes away mid-run; a worker holding a task then stops at once on SIGTERM', async () => {
    const holding = track(await startWorker(redis.url, ['--task-delay-ms', '120000']));
    const coordinator = track(startCli([...COMPARE, '--queue', redis.url, '--out', mkdtempSync(join(tmpdir(), 'mm-queue-'))]));
    await holding.waitFor(/task \S+ started/);
    await redis.stop();
    expect(await coordinator.exited).toBe(1);
    expect(coordinator.output()).toContain(`error: queue ${redis.url}: Redis is unreachable (`);
    expect(coordinator.output()).toMatch(/the run stopped\n/);
    await holding.waitFor(/lost the queue/);
    expect(await stopCli(holding)).toBe(0);
    expect(holding.output()).toMatch(/SIGTERM: finishing the tasks in hand, then stopping\n.*stopped\n$/);
  });

  it('exits 1 naming the queue when Redis cannot be reached at start, and 2 for a malformed address', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const unreachable = track(startCli([...COMPARE, '--queue', url, '--out', mkdtempSync(join(tmpdir(), 'mm-queue-'))]));
    expect(await unreachable.exited).toBe(1);
    expect(unreachable.output()).toMatch(new RegExp(`error: queue ${url.replace(/[./]/g, '\\$&')}: Redis is unreachable \\(.*ECONNREFUSED.*\\); no run started`));
    const malformed = track(startCli([...COMPARE, '--queue', 'http://x:1', '--out', mkdtempSync(join(tmpdir(), 'mm-queue-'))]));
    expect(await malformed.exited).toBe(2);
    expect(malformed.output()).toContain('--queue = "http://x:1" is invalid: redis://HOST:PORT[/DB][?name=QUEUE] (scheme http: is not redis: or rediss:)');
  });
});
