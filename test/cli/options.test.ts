import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/modality-mirror.js', ...args], { encoding: 'utf8', timeout: 60_000 });
const optionsOf = (help: string) => [...help.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]).filter((o) => o !== '--help');

describe('command-line options', () => {
  it('--version prints the package version', () => {
    const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
    for (const flag of ['--version', '-V']) {
      const r = cli(flag);
      expect(r.status).toBe(0);
      expect(r.stdout.trim()).toBe(version);
    }
  });

  it('compare takes every option of run except --seed, --method and --checkpoint-every (and adds --methods, --missing, --seeds, --concurrency, --targets)', () => {
    const run = optionsOf(cli('run', '--help').stdout);
    const compare = optionsOf(cli('compare', '--help').stdout);
    expect(run).toEqual(expect.arrayContaining(['--seed', '--method', '--workers', '--out', '--compute-doomed', '--fake-trainer', '--set', '--data']));
    expect(run).toContain('--profile');
    expect(compare.slice().sort()).toEqual([...run.filter((o) => !['--seed', '--method', '--checkpoint-every'].includes(o)), '--methods', '--missing', '--seeds', '--concurrency', '--targets'].sort());
  });

  it('compare runs with run options (--compute-doomed, --budget, --set, --workers) and records them', () => {
    const out = mkdtempSync(join(tmpdir(), 'mm-cli-cmp-'));
    const r = cli('compare', 'default', '--fake-trainer', '--methods', 'modality-mirror', '--rounds', '2', '--budget', 'equal', '--compute-doomed', '--set', 'alpha=0.7', '--workers', '0', '--out', out);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.status).toBe(0);
    const compare = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8'));
    expect(compare.complete).toBe(true);
    expect(JSON.stringify(compare)).toContain('"alpha":0.7');
  });

  describe('--out is checked before any training (exit 2, one message naming --out and the value)', () => {
    const base = mkdtempSync(join(tmpdir(), 'mm-cli-out-'));
    const file = join(base, 'a-file');
    writeFileSync(file, 'x');
    const link = join(base, 'to-proc');
    symlinkSync('/proc', link);
    // [what, value, why, commands tried]
    const cases: Array<[string, string, RegExp, string[]]> = [
      ['under /proc', '/proc/mm-run', /a directory on a real file system \(\/proc is a pseudo file system\)/, ['run', 'compare']],
      ['under /sys', '/sys/kernel/mm-run', /\/sys is a pseudo file system/, ['run']],
      ['under /dev', '/dev/mm-run', /\/dev is a pseudo file system/, ['run']],
      ['a symlink into /proc', join(link, 'self', 'mm-run'), /\/proc is a pseudo file system/, ['run']],
      ['an existing file', file, /a directory \(it is an existing file\)/, ['run', 'compare']],
      ['a path under a file', join(file, 'sub', 'dir'), /is a file, not a directory/, ['run']],
    ];
    for (const [what, value, why, commands] of cases) {
      it(`refuses ${what}`, () => {
        for (const command of commands) {
          const r = cli(command, 'default', '--fake-trainer', '--rounds', '1', '--out', value);
          expect(r.status).toBe(2);
          expect(r.stderr.trim()).toMatch(new RegExp(`^error: command line: --out = ${JSON.stringify(value).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is invalid: `));
          expect(r.stderr).toMatch(why);
          expect(r.stderr).not.toMatch(/backend:/); // nothing was loaded or trained
          expect(r.stderr.trim().split('\n')).toHaveLength(1);
        }
      });
    }

    it.skipIf(process.getuid?.() === 0)('refuses a directory it cannot write', () => {
      const locked = join(base, 'locked');
      mkdirSync(locked);
      chmodSync(locked, 0o500);
      const r = cli('run', 'default', '--fake-trainer', '--rounds', '1', '--out', join(locked, 'run'));
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/--out = .* is invalid: a creatable directory \(.* is not writable\)/);
    });

    it('creates a new nested directory', () => {
      const out = join(base, 'new', 'nested', 'run');
      const r = cli('run', 'default', '--fake-trainer', '--rounds', '1', '--out', out);
      expect(r.status).toBe(0);
      expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).complete).toBe(true);
    });
  });
});
