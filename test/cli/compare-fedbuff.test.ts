import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/modality-mirror.js', ...args], { encoding: 'utf8', timeout: 120_000 });

describe('compare of a synchronous method and FedBuff (fake trainer)', () => {
  it('prints and records the virtual time to each accuracy target', () => {
    const out = mkdtempSync(join(tmpdir(), 'mm-cli-fedbuff-'));
    const r = cli('compare', 'scenarios/stragglers-fedbuff.ts', '--fake-trainer', '--methods', 'unifl,fedbuff', '--rounds', '6', '--targets', '0.3,0.99', '--workers', '0', '--out', out);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/virtual time until the audio-only test accuracy first reaches each target/);
    const compare = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8'));
    const rows = compare.timeToAccuracy as Array<{ method: string; target: number; meanMs: number | null; reached: number; runs: number }>;
    expect(rows.map((t) => [t.method, t.target])).toEqual([['unifl', 0.3], ['unifl', 0.99], ['fedbuff', 0.3], ['fedbuff', 0.99]]);
    // Each time is the first evaluation at or above the target in that run's own curve.
    for (const t of rows) {
      const run = compare.runs.find((x: { method: string }) => x.method === t.method);
      const hit = run.curve.find((p: { accuracy: number }) => p.accuracy >= t.target);
      expect(t.meanMs).toBe(hit ? hit.atMs : null);
    }
    // The parameters each method ran with are recorded (FedBuff's C, K and a from the scenario).
    expect(compare.parameters.perMethod.fedbuff.params).toMatchObject({ concurrency: 5, bufferSize: 3, stalenessExponent: 0.5 });
    expect(readFileSync(join(out, 'accuracy-vs-time.svg'), 'utf8')).toMatch(/^<svg/);
    // FedBuff's server steps say how stale their updates were; UniFL's rounds keep their fields.
    const fedbuff = compare.runs.find((x: { method: string }) => x.method === 'fedbuff');
    const unifl = compare.runs.find((x: { method: string }) => x.method === 'unifl');
    expect(fedbuff.participation.every((p: { stalenessMax?: number }) => typeof p.stalenessMax === 'number')).toBe(true);
    expect(unifl.participation.some((p: object) => 'stalenessMax' in p)).toBe(false);
  });

  it('refuses an option FedBuff cannot apply before any training (exit 2)', () => {
    const out = mkdtempSync(join(tmpdir(), 'mm-cli-fedbuff-'));
    const r = cli('run', 'scenarios/stragglers-fedbuff.ts', '--fake-trainer', '--method', 'fedbuff', '--set', 'overSelection=1.5', '--workers', '0', '--out', out);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/rounds\.overSelection = 1\.5 is invalid: 1 for fedbuff/);
  });
});
