import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stormyScenario } from '../helpers/checkpoint-scenarios.js';
import { cli, folderContent, scenarioFile, sha256File, summaryOf, tempDir } from '../helpers/run-folder.js';

describe('SIGINT and SIGTERM during a run', () => {
  const file = scenarioFile(stormyScenario('modality-mirror', 3));
  const wholeDir = join(tempDir('whole'), 'run');
  const whole = () => {
    if (!existsSync(join(wholeDir, 'summary.json'))) expect(cli(['run', file, '--fake-trainer', '--out', wholeDir]).status).toBe(0);
    return folderContent(wholeDir);
  };

  for (const [signal, code, at] of [['SIGINT', 130, 40], ['SIGTERM', 143, 75]] as const) {
    it(`${signal}: stops after the current event, writes a checkpoint and a consistent partial folder, says how to resume, exits ${code}`, () => {
      const dir = join(tempDir('signal'), 'run');
      const r = cli(['run', file, '--fake-trainer', '--out', dir], { MM_TEST_SIGNAL_AT: `${at}:${signal}` });
      expect(r.status, r.stderr).toBe(code);
      expect(r.stderr).toContain(`${signal}: stopping after the current event and writing a checkpoint`);
      expect(r.stderr).toContain(`continue with: modality-mirror resume ${dir}`);
      expect(r.stdout).toBe(''); // no results table for a partial run
      const summary = summaryOf(dir);
      // The signal comes as trace record `at` is written. Evaluation trails the clock (see
      // src/sim/scheduler.ts), so a few later events may already be delivered then: the run stops
      // after those and the evaluations behind, and the folder and checkpoint say so consistently.
      expect(summary.events).toBeGreaterThanOrEqual(at);
      expect(summary).toMatchObject({ complete: false, failure: null, final: null, interrupted: { signal, resume: `modality-mirror resume ${dir}`, events: summary.events } });
      // The partial folder is one run's: its trace file is the trace the summary's hash names.
      expect(sha256File(join(dir, 'trace.msgpack'))).toBe(summary.traceHash);
      expect(existsSync(join(dir, 'checkpoint', 'state.msgpack'))).toBe(true);
      const resumed = cli(['resume', dir]);
      expect(resumed.status, resumed.stderr).toBe(0);
      expect(folderContent(dir)).toEqual(whole());
    });
  }

  it('a crash marks the folder crashed (never left `running`), keeps the last checkpoint, and resume finishes the run', () => {
    const dir = join(tempDir('crash'), 'run');
    const r = cli(['run', file, '--fake-trainer', '--checkpoint-every', '1', '--out', dir], { MM_TEST_SIGNAL_AT: '60:CRASH' });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain('test crash at event 60');
    expect(r.stderr).toContain(`continue with: modality-mirror resume ${dir}`);
    const summary = summaryOf(dir);
    expect(summary).toMatchObject({ complete: false, status: 'crashed', crash: { checkpoint: { resume: `modality-mirror resume ${dir}` } } });
    const crash = summary.crash as { error: string; checkpoint: { roundsClosed: number } };
    expect(crash.error).toContain('test crash at event 60');
    expect(crash.checkpoint.roundsClosed).toBeGreaterThan(0);
    const resumed = cli(['resume', dir]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(folderContent(dir)).toEqual(whole());
  });

  it('shows the terminal cursor again that the progress bar hid', () => {
    const dir = join(tempDir('tty'), 'run');
    // `script` gives the run a terminal, so the bar is drawn (and hides the cursor).
    const r = spawnSync('script', ['-qec', `${process.execPath} bin/modality-mirror.js run ${file} --fake-trainer --out ${dir}`, '/dev/null'], {
      encoding: 'utf8', timeout: 60_000, env: { ...process.env, MM_TEST_SIGNAL_AT: '40:SIGINT' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(130);
    const hidden = r.stdout.indexOf('\x1b[?25l');
    expect(hidden).toBeGreaterThanOrEqual(0);
    expect(r.stdout.indexOf('\x1b[?25h', hidden)).toBeGreaterThan(hidden);
    expect(r.stdout).toContain('continue with: modality-mirror resume');
  });
});
