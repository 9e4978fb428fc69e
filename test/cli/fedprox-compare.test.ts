import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/modality-mirror.js', ...args], { encoding: 'utf8', timeout: 120_000 });
const out = () => join(mkdtempSync(join(tmpdir(), 'mm-fedprox-')), 'run');

// FedProx is usable beside the others by name alone (its registry line): compare and sweep take it.
describe('FedProx on the command line (fake trainer)', () => {
  it('compare --methods unifl,fedprox --set mu=… runs both and lists mu only for the method that reads it', () => {
    const dir = out();
    const r = cli('compare', 'default', '--fake-trainer', '--methods', 'unifl,fedprox', '--set', 'rounds=2', '--set', 'mu=0.1', '--out', dir);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'compare.json'), 'utf8'));
    expect(report.runs.map((run: { method: string }) => run.method)).toEqual(['unifl', 'fedprox']);
    expect(report.parameters.perMethod.fedprox.params).toEqual({ mu: 0.1 });
    expect(report.parameters.perMethod.unifl.params).toEqual({});
  });

  it('sweep --vary mu=… over fedprox, and a negative mu is refused before any work', () => {
    const dir = out();
    const r = cli('sweep', 'default', '--fake-trainer', '--methods', 'fedprox', '--vary', 'mu=0,0.5', '--set', 'rounds=1', '--out', dir);
    expect(r.status, r.stderr).toBe(0);
    const sweep = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8'));
    expect(sweep.cells.map((c: { method: string; vary: object }) => [c.method, c.vary])).toEqual([['fedprox', { mu: 0 }], ['fedprox', { mu: 0.5 }]]);
    const bad = cli('run', 'default', '--fake-trainer', '--method', 'fedprox', '--set', 'mu=-1', '--out', out());
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toContain("algorithm.params.mu = -1 is invalid: FedProx's proximal weight μ, a number >= 0");
  });
});
