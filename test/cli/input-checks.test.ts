import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFlagLimits, workerCap } from '../../src/cli/check-limits.js';

const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/modality-mirror.js', ...args], { encoding: 'utf8', timeout: 60_000 });
const out = () => join(mkdtempSync(join(tmpdir(), 'mm-input-')), 'run');

/**
 * Runs the CLI until its stderr matches `pattern` (then stops it) or it exits, at most 60 s: a run
 * that would train for ever is stopped as soon as it shows how far it got, however loaded the machine.
 */
function untilStderrMatches(args: string[], pattern: RegExp): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/modality-mirror.js', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      if (pattern.test(stderr)) child.kill('SIGKILL');
    });
    child.on('close', () => {
      clearTimeout(timer);
      resolve(stderr);
    });
  });
}

/** Exit 2 with one line on stderr matching `line`, and nothing loaded or trained. */
function refused(args: string[], line: RegExp | string): void {
  const r = cli(...args);
  expect(r.status, r.stderr).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  if (typeof line === 'string') expect(lines[0]).toContain(line);
  else expect(lines[0]).toMatch(line);
  expect(r.stderr).not.toMatch(/backend:/);
}

describe('inputs are checked before any work', () => {
  it('refuses empty and non-decimal numbers, quoting them as given (never read as 0 or as --set)', () => {
    refused(['run', 'default', '--fake-trainer', '--workers', '', '--out', out()], '--workers = "" is invalid: a decimal integer');
    refused(['run', 'default', '--fake-trainer', '--seed', '', '--out', out()], '--seed = "" is invalid');
    refused(['run', 'default', '--fake-trainer', '--seed', '99999999999999999999', '--out', out()], '--seed = "99999999999999999999" is invalid: a decimal integer from 0 to 9007199254740991');
    refused(['run', 'default', '--fake-trainer', '--rounds', '0x10', '--out', out()], '--rounds = "0x10" is invalid');
    refused(['run', 'default', '--fake-trainer', '--alpha', '1e', '--out', out()], '--alpha = "1e" is invalid');
  });

  it('caps --workers at 4 × cores unless --force', () => {
    expect(workerCap(2)).toBe(8);
    expect(() => checkFlagLimits({ workers: 9 }, 2)).toThrow('--workers = 9 is invalid: an integer from 0 to 8 (4 × 2 cores); pass --force to use more');
    expect(() => checkFlagLimits({ workers: 9, force: true }, 2)).not.toThrow();
    expect(() => checkFlagLimits({ workers: 8 }, 2)).not.toThrow();
    refused(['run', 'default', '--fake-trainer', '--workers', String(workerCap() + 1), '--out', out()], /--workers = \d+ is invalid: an integer from 0 to \d+ .*pass --force/);
  });

  it('compare refuses empty, repeated and non-decimal list entries', () => {
    refused(['compare', 'default', '--fake-trainer', '--seeds', '1,,2', '--out', out()], '--seeds = "1,,2" is invalid: a comma-separated list without empty entries');
    refused(['compare', 'default', '--fake-trainer', '--seeds', '1,2,1', '--out', out()], '--seeds = "1,2,1" is invalid: distinct entries');
    refused(['compare', 'default', '--fake-trainer', '--seeds', '1e20', '--out', out()], '--seeds = "1e20" is invalid');
    refused(['compare', 'default', '--fake-trainer', '--missing', '0.5,0.50', '--out', out()], '--missing = "0.5,0.50" is invalid: distinct values');
    refused(['compare', 'default', '--fake-trainer', '--methods', 'unifl,harmony,unifl', '--out', out()], '--methods = "unifl,harmony,unifl" is invalid: distinct entries');
  });

  it('refuses absurd work with its estimate unless --force', () => {
    refused(['run', 'default', '--set', 'epochs=1e9', '--out', out()], /^error: default: estimated work = "[\d.e+]+ FLOP" is invalid: at most 1\.00e\+16 FLOP .* × 1\.00e\+9 epochs × /);
    refused(['run', 'default', '--set', 'model.audioGruUnits=30000', '--out', out()], /^error: default: estimated memory per worker = "[\d.]+ GiB" is invalid: at most 3 GiB \([\d.e+]+ weights, batch 16\)/);
  });

  it('compare and sweep refuse a cell beyond the bounds before the pool starts, naming the cell; --force reaches every cell', async () => {
    refused(['compare', 'default', '--set', 'epochs=1e9', '--methods', 'unifl', '--missing', '0.5', '--seeds', '1', '--out', out()], /^error: default \(cell 1 of 1: unifl, seed 1\): estimated work = "[\d.e+]+ FLOP" is invalid: at most 1\.00e\+16 FLOP .*or pass --force/);
    refused(['sweep', 'default', '--set', 'model.audioGruUnits=30000', '--methods', 'unifl', '--seeds', '1', '--out', out()], /^error: default \(cell 1 of 1: unifl, seed 1\): estimated memory per worker = "[\d.]+ GiB" is invalid/);
    // With --force the bound is lifted for the cells too: the run gets as far as training (stopped by
    // the tiny limit given here to spare the machine), instead of refusing at a cell.
    const stderr = await untilStderrMatches(['compare', 'default', '--set', 'epochs=1e9', '--methods', 'unifl', '--missing', '0.5', '--seeds', '1', '--force', '--out', out()], /backend:/);
    expect(stderr).not.toMatch(/estimated work/);
    expect(stderr).toMatch(/backend:/);
  });

  it('reports a scenario file that is a directory, does not compile or throws at import in one line with the position', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mm-scenario-'));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    mkdirSync(join(dir, 'folder.ts'));
    writeFileSync(join(dir, 'syntax.ts'), 'export default {\n  name: "x",,\n};\n');
    writeFileSync(join(dir, 'throws.ts'), 'const a = 1;\nthrow new Error(`boom ${a}`);\nexport default {};\n');
    refused(['run', join(dir, 'folder.ts'), '--fake-trainer', '--out', out()], `command line: scenario = ${JSON.stringify(join(dir, 'folder.ts'))} is invalid: a scenario file (it is a directory)`);
    refused(['run', join(dir, 'syntax.ts'), '--fake-trainer', '--out', out()], `error: ${join(dir, 'syntax.ts')}:2:13: syntax error: Expected identifier but found ","`);
    refused(['run', join(dir, 'throws.ts'), '--fake-trainer', '--out', out()], `error: ${join(dir, 'throws.ts')}:2:7: error while importing the scenario: Error: boom 1`);
  });
});
