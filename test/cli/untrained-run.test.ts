import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/modality-mirror.js', ...args], { encoding: 'utf8', timeout: 60_000 });
const KERNEL = "Kernel 'ReluMaxPool1dGrad' not registered for backend 'tensorflow'";

describe('the command line, when a run cannot train', () => {
  it('run: exits 1 with the reason, round and method on stderr, prints no table, writes the folder marked incomplete', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'mm-cli-fail-')), 'run');
    const r = cli('run', 'scenarios/default.ts', '--fake-trainer', '--fake-fail', KERNEL, '--rounds', '3', '--out', out);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`error: run cannot train: all 5 training tasks of round 0 (phase fedavg, method unifl, seed 1) failed with the same reason: training failed: ${KERNEL}`);
    expect(r.stdout).toBe('');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ complete: false, failure: { kind: 'same-reason', round: 0, method: 'unifl', reason: `training failed: ${KERNEL}` }, final: null });
    expect(summary.rounds).toHaveLength(1);
    expect(summary.rounds[0].failed).toHaveLength(5);
  });

  it('run: exits 1 when no round succeeds (every round short of replies)', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'mm-cli-fail-')), 'run');
    const r = cli('run', 'scenarios/default.ts', '--fake-trainer', '--rounds', '2', '--set', 'minReplies=100', '--out', out);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error: run cannot train: no round of the run succeeded \(2 of 2 failed\), method unifl, seed 1; round 0: 5 accepted replies, fewer than the minimum 100/);
    expect(r.stdout).not.toMatch(/test accuracy|traceHash/);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))).toMatchObject({ complete: false, final: null });
  });

  it('compare: stops at the cell that cannot train, exits 1 naming the cell, averages nothing', () => {
    const out = mkdtempSync(join(tmpdir(), 'mm-cli-fail-'));
    const r = cli('compare', 'scenarios/default.ts', '--fake-trainer', '--fake-fail', KERNEL, '--methods', 'unifl,harmony', '--seeds', '1,2', '--rounds', '2', '--out', out);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`error: grid cell 1/4 (method unifl, missing 0.5, seed 1): run cannot train: all 5 training tasks of round 0`);
    expect(r.stdout).toBe('');
    const compare = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8'));
    expect(compare).toMatchObject({ complete: false, failure: { kind: 'same-reason', cell: { method: 'unifl', seed: 1, missingRate: 0.5 } }, completedRuns: [] });
  });

  it('a run that trains is marked complete', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'mm-cli-ok-')), 'run');
    const r = cli('run', 'default', '--fake-trainer', '--rounds', '2', '--out', out);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/test accuracy/);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))).toMatchObject({ complete: true, failure: null, final: { unifl: { round: expect.any(Number) } } });
  });
});
