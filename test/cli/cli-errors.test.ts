import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/modality-mirror.js', ...args], { encoding: 'utf8', timeout: 60_000 });

describe('the command line', () => {
  it('refuses a bad flag with exit code 2 and a message naming it and its value', () => {
    const r = cli('run', 'scenarios/default.ts', '--workers', 'two');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--workers = "two" is invalid/);
  });

  it('refuses a scenario that does not validate, naming the file, field and value', () => {
    const r = cli('run', 'test/fixtures/scenarios/bad-rate.ts', '--fake-trainer');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('test/fixtures/scenarios/bad-rate.ts: timeline.0.target.rate = 1.5 is invalid');
  });

  it('refuses an unknown --set key and a bad --set value', () => {
    const unknown = cli('run', 'scenarios/default.ts', '--fake-trainer', '--set', 'learningRate=0.1');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/--set: learningRate = 0.1 is invalid: unknown key/);
    const bad = cli('run', 'scenarios/default.ts', '--fake-trainer', '--set', 'lr=-1');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--set lr=-1: training.lr = -1 is invalid/);
  });

  it('runs a scenario and writes summary.json with the run identity, per-round metrics and final scores', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'mm-cli-')), 'run');
    const r = cli('run', 'scenarios/default.ts', '--fake-trainer', '--rounds', '3', '--out', out, '--seed', '5');
    expect(r.status).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ scenario: 'default', seed: 5, backend: 'fake', workers: 2 });
    expect(summary.traceHash).toMatch(/^[0-9a-f]{64}$/);
    expect(summary.weightsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(summary.rounds).toHaveLength(3);
    expect(summary.rounds[0].metrics.audio.test.accuracy).toBeGreaterThan(0);
    expect(Object.keys(summary.final.unifl)).toEqual(expect.arrayContaining(['accuracy', 'macroF1', 'perClassF1']));
    expect(r.stdout).toContain(summary.traceHash);
    const trace = readFileSync(join(out, 'trace.jsonl'), 'utf8').trim().split('\n');
    expect(trace.length).toBe(summary.events);
    // Anyone can check the trace hash: it is the sha-256 of trace.msgpack.
    expect(createHash('sha256').update(readFileSync(join(out, 'trace.msgpack'))).digest('hex')).toBe(summary.traceHash);
  });
});
