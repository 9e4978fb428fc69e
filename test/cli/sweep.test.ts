/**
 * `modality-mirror sweep` as a user runs it (child process, fake trainer for speed): a dropout sweep
 * writes sweep.json with every cell recorded (varied value, resolved timeline, participation), the
 * charts and the report; the same command again reuses every cell and writes the same numbers;
 * bad grids are refused before any work.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });

describe('modality-mirror sweep', () => {
  it('runs a dropout sweep, records every cell, and reuses all of them on a rerun', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'sweep-cli-')), 'study');
    const args = ['sweep', 'scenarios/dropout-study.ts', '--vary', 'dropout.target.rate=0,0.3,0.6', '--methods', 'unifl,modality-mirror', '--seeds', '1,2', '--rounds', '3', '--fake-trainer', '--out', out];
    const first = cli(args);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/sweep: 12 cells \(dropout\.target\.rate × 3 × 2 methods × 2 seeds\)/);
    expect(first.stderr).toMatch(/\[12\/12\] modality-mirror dropout\.target\.rate=0\.6 seed=2/);
    const sweep = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));
    expect(sweep.complete).toBe(true);
    expect(sweep.cells).toHaveLength(12);
    for (const cell of sweep.cells) {
      const rate = cell.vary['dropout.target.rate'];
      expect(cell.scenario.timeline[0]).toMatchObject({ id: 'dropout', target: { rate } });
      const dropped = cell.participation.reduce((s: number, p: { dropped: number }) => s + p.dropped, 0);
      if (rate === 0) expect(dropped).toBe(0);
      else expect(dropped).toBeGreaterThan(0);
      expect(cell.headline).toHaveProperty('macroF1');
      expect(cell.headline).toHaveProperty('uar');
      expect(cell.clientUpdates).toBeGreaterThan(0);
    }
    expect(sweep.verdict).toHaveLength(3);
    for (const file of ['accuracy-vs-dropout_target_rate.svg', 'time-to-accuracy-vs-dropout_target_rate.svg', 'participation-unifl.svg', 'participation-modality-mirror.svg', 'accuracy-per-round.svg', 'report.html']) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    expect(readdirSync(join(out, 'cells'))).toHaveLength(12);

    const again = cli(args);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/skipped 12 of 12 cells/);
    const rerun = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));
    expect(rerun.cells).toEqual(sweep.cells);
    expect(rerun.summary).toEqual(sweep.summary);
    expect(rerun.verdict).toEqual(sweep.verdict);

    // Three cells at once on the one pool: the same cells (into a fresh folder, nothing reused).
    const parallel = join(out, '..', 'parallel');
    const concurrent = cli([...args.slice(0, -1), parallel, '--concurrency', '3']);
    expect(concurrent.status, concurrent.stderr).toBe(0);
    expect(concurrent.stderr).not.toMatch(/skipped/);
    expect(JSON.parse(readFileSync(join(parallel, 'sweep.json'), 'utf8')).cells).toEqual(sweep.cells);
  }, 120_000);

  it('refuses repeated or empty grid entries and fields it cannot vary, before any work (exit 2)', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'sweep-bad-')), 'x');
    for (const [args, message] of [
      [['--seeds', '1,,2'], /--seeds = "1,,2" is invalid: a comma-separated list without empty entries/],
      [['--seeds', '1,1'], /--seeds = "1,1" is invalid: distinct entries/],
      [['--methods', 'unifl,nope'], /--methods = "nope" is invalid: one of/],
      [['--vary', 'data.numClients=4,8'], /--vary: data\.numClients = "4,8" is invalid/],
      [['--vary', 'nothing.target.rate=0,1'], /--vary: nothing\.target\.rate/],
    ] as const) {
      const r = cli(['sweep', 'scenarios/dropout-study.ts', '--fake-trainer', '--out', out, ...args]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(existsSync(join(out, 'sweep.json'))).toBe(false);
    }
  }, 60_000);
});
