import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../src/engine/checkpoint-store.js';
import type { RunMeta } from '../../src/cli/run-meta.js';
import type { ScenarioInput } from '../../src/scenario/schema.js';
import { stormyScenario } from '../helpers/checkpoint-scenarios.js';
import { cli, cliSignalledWhen, folderContent, scenarioFile, sha256File, summaryOf, tempDir } from '../helpers/run-folder.js';

/** The files of an uninterrupted run of `file` with `flags`, and its event count. */
function uninterrupted(file: string, flags: string[]) {
  const dir = join(tempDir('whole'), 'run');
  const r = cli(['run', file, ...flags, '--out', dir]);
  expect(r.status, r.stderr).toBe(0);
  return { dir, events: summaryOf(dir).events as number, folder: folderContent(dir) };
}

/** A finished run folder is whole: every file of the run, sha256(trace.msgpack) = traceHash, no checkpoint left. */
function expectComplete(dir: string): void {
  const summary = summaryOf(dir);
  expect(summary.complete).toBe(true);
  expect(sha256File(join(dir, 'trace.msgpack'))).toBe(summary.traceHash);
  expect(existsSync(join(dir, 'checkpoint'))).toBe(false);
}

describe('a run killed with SIGKILL mid-run and resumed ends as the uninterrupted run', () => {
  const cases: Array<[string, ScenarioInput, string[], number]> = [
    ['unifl with stragglers, over-selection and a timed dropout (fake trainer)', stormyScenario('unifl', 6), ['--fake-trainer'], 0.55],
    ['modality-mirror in phase 2, doomed work computed (fake trainer)', stormyScenario('modality-mirror', 3), ['--fake-trainer', '--compute-doomed'], 0.7],
  ];
  for (const [what, scenario, flags, share] of cases) {
    it(what, () => {
      const file = scenarioFile(scenario);
      const whole = uninterrupted(file, flags);
      // The folder first holds an earlier, complete run (another seed) that must not survive.
      const dir = join(tempDir('killed'), 'run');
      expect(cli(['run', file, ...flags, '--seed', '99', '--out', dir]).status).toBe(0);
      const killAt = Math.floor(whole.events * share);
      const killed = cli(['run', file, ...flags, '--out', dir], { MM_TEST_SIGNAL_AT: `${killAt}:SIGKILL` });
      expect(killed.signal).toBe('SIGKILL');
      // Never a mix of two runs: the earlier run's files are gone, the summary says incomplete.
      expect(folderContent(dir).files).toEqual(['checkpoint', 'summary.json']);
      expect(summaryOf(dir)).toMatchObject({ complete: false, status: 'running', seed: 11 });
      // What the last checkpoint before the kill carries.
      const saved = readCheckpoint<RunMeta>(dir)!;
      expect(saved.checkpoint.state.events).toBeLessThan(killAt);
      expect(saved.checkpoint.state.scheduler.events.some((e) => e.msg.type === 'world/fire' && e.msg.rejoin === true || e.work?.kind === 'train')).toBe(true);
      // `run` into it again is refused: it holds an unfinished run.
      const again = cli(['run', file, ...flags, '--out', dir]);
      expect(again.status).toBe(2);
      expect(again.stderr).toContain(`continue it with \`modality-mirror resume ${dir}\``);
      const resumed = cli(['resume', dir]);
      expect(resumed.status, resumed.stderr).toBe(0);
      expect(resumed.stdout).toContain(`traceHash ${summaryOf(whole.dir).traceHash}`);
      expect(folderContent(dir)).toEqual(whole.folder);
      expectComplete(dir);
    });
  }

  it('unifl with the real trainer, killed from outside after round 3, resumed on another number of workers', async () => {
    const scenario: ScenarioInput = {
      name: 'tiny-real',
      summary: 'tiny real-training scenario with stragglers and a timed dropout',
      seed: 3,
      data: { kind: 'synthetic', seed: 1, numClasses: 3, samplesPerClass: 24, numClients: 5, alpha: 1, minSamplesPerClient: 4, audioFrames: 8, audioDims: 4, videoFrames: 3, videoDims: 5 },
      videoMissingRate: 0.5,
      model: { convChannels: [4], kernelSize: 3, audioGruUnits: 4, videoGruUnits: 4, headHidden: 4, dropout: 0.1 },
      algorithm: { name: 'unifl', rounds: 8 },
      training: { epochs: 1, batchSize: 8, lr: 0.05 },
      rounds: { clientsPerRound: 3, overSelection: 1.4, deadlineMs: 400 },
      population: { deviceSpeedSigma: 0.8, latencyMs: 20 },
      timeline: [{ type: 'dropout', at: { timeMs: 300 }, target: { clients: ['1'] }, durationMs: 1500 }],
    };
    const file = scenarioFile(scenario);
    const whole = uninterrupted(file, ['--workers', '2']);
    const dir = join(tempDir('killed-real'), 'run');
    const killed = await cliSignalledWhen(['run', file, '--workers', '2', '--out', dir], /round 3\/8/, 'SIGKILL');
    expect(killed.sent && killed.signal === 'SIGKILL').toBe(true);
    expect(summaryOf(dir).complete).toBe(false);
    expect(readCheckpoint<RunMeta>(dir)!.checkpoint.state.roundsClosed).toBeGreaterThanOrEqual(3);
    const resumed = cli(['resume', dir, '--workers', '1']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(summaryOf(dir)).toMatchObject({ traceHash: summaryOf(whole.dir).traceHash, weightsHash: summaryOf(whole.dir).weightsHash });
    expect(folderContent(dir)).toEqual(whole.folder);
    expectComplete(dir);
  });
});
