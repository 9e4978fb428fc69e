/**
 * The body `run` and `resume` share: train with a progress bar, a checkpoint after every N closed
 * rounds (in `<out>/checkpoint/`), SIGINT/SIGTERM stopping after the current event, and the run
 * folder written at the end. What ends how:
 * - finished: the folder is written (summary.json last), the checkpoint removed, the table printed;
 * - cannot train: the folder is written `complete: false` with the failure, the checkpoint removed,
 *   TrainingFailedError rethrown (exit 1);
 * - a signal: a checkpoint and a partial folder (`complete: false`, `interrupted`), the resume
 *   command printed, exit 130 (SIGINT) or 143 (SIGTERM);
 * - an output that cannot be written (a full disk): exit 1 naming the path; the last good
 *   checkpoint stays;
 * - a crash: summary.json says `status: 'crashed'` with the error; rethrown (exit 1); the last
 *   checkpoint stays.
 */
import { populationCounts, populationOf } from '../data/client-rows.js';
import type { LoadedDataset } from '../data/types.js';
import { OutputWriteError, NODE_FILE_OPS, writeAtomic, type FileOps } from '../engine/atomic-write.js';
import { CHECKPOINT_DIR, CheckpointStore, type LoadedCheckpoint } from '../engine/checkpoint-store.js';
import type { RunConfig } from '../engine/run-config.js';
import { TrainingFailedError } from '../engine/run-failure.js';
import { runSimulation, type RunResult } from '../engine/run-simulation.js';
import { renderTextTable } from '../report/text-table.js';
import type { TraceRecord } from '../sim/trace.js';
import type { Trainer } from '../protocol/trainer.js';
import { CliExit, shellWord, signalExitCode } from './cli-exit.js';
import { ConfigError } from '../core/errors.js';
import { trainerFromFlags } from './cli-trainer.js';
import type { RunFlags } from './flags.js';
import { createProgress } from './progress.js';
import type { RunMeta } from './run-meta.js';
import { stopOnSignals } from './stop-on-signals.js';
import { markRunCrashed, writeRunFolder, type RunFolderExtra } from './write-run-folder.js';
import { RunProfiler } from './run-profiler.js';
import type { StartingPool } from '../train/pool-trainer.js';
import { join } from 'node:path';

/** A run ready to execute: its configuration and, for `resume`, the checkpoint it continues. */
export interface PreparedRun {
  /** The scenario file as the user gave it (recorded in summary.json). */
  file: string;
  flags: RunFlags;
  config: RunConfig;
  dataset: LoadedDataset;
  /** What a checkpoint records to rebuild this run (the backend is added once the trainer starts). */
  meta: Omit<RunMeta, 'backend'>;
  resumeFrom: LoadedCheckpoint<RunMeta> | null;
  /** File operations for the run folder and checkpoints (tests inject failures). */
  io?: FileOps;
  /** The worker pool started while the data loaded (see prepareWhilePoolStarts), if any. */
  started?: StartingPool | null;
}

/**
 * Test hook, `MM_TEST_SIGNAL_AT=<events>:<SIGNAL>`: the process sends itself SIGNAL once that many
 * events are in the trace (how the tests kill or interrupt a run at a known point; with evaluation
 * overlapped, a few later events may already be delivered by then).
 */
function selfSignal(): ((record: TraceRecord) => void) | undefined {
  const spec = /^(\d+):(SIG[A-Z]+|CRASH)$/.exec(process.env.MM_TEST_SIGNAL_AT ?? '');
  if (!spec) return undefined;
  let seen = 0;
  return () => {
    if (++seen !== Number(spec[1])) return;
    // CRASH stands for a bug in the engine (an actor that throws): how the tests reach that path.
    if (spec[2] === 'CRASH') throw new Error(`test crash at event ${seen}`);
    process.kill(process.pid, spec[2] as NodeJS.Signals);
  };
}

/** Executes a prepared run; returns the summary of a finished run. */
export async function executeRun(run: PreparedRun) {
  const { file, flags, config, dataset } = run;
  const io = run.io ?? NODE_FILE_OPS;
  const dir = flags.out;
  const resumeHint = `modality-mirror resume ${shellWord(dir)}`;
  const totalRounds = config.settings.rounds.reduce((a, b) => a + b, 0);
  const progress = createProgress(`${config.strategy.name} seed ${config.seed}`, totalRounds);
  const signals = stopOnSignals(() => progress.stop());
  const started = performance.now(); // wall-clock ok: reported, never used by the engine
  const extra = () => ({ workers: flags.workers, scenarioFile: file, wallTimeMs: Math.round(performance.now() - started) }); // wall-clock ok
  let trainer: Trainer | null = null;
  let interrupted = false;
  try {
    trainer = await trainerFromFlags(flags, dataset.store, config.model, run.started ?? null);
    const profiler = flags.profile === true ? new RunProfiler(flags.workers) : null;
    if (profiler) trainer = profiler.wrapTrainer(trainer);
    const recorded = run.resumeFrom?.meta.backend;
    if (recorded !== undefined && recorded !== trainer.backend) {
      throw new ConfigError(join(dir, CHECKPOINT_DIR), 'backend', trainer.backend, `the run's own backend, ${recorded} (bits differ between backends); pass --backend ${recorded}`);
    }
    const store = new CheckpointStore<RunMeta>(dir, { ...run.meta, backend: trainer.backend }, run.resumeFrom, io);
    const last = () => (store.last ?? (run.resumeFrom ? { roundsClosed: run.resumeFrom.checkpoint.state.roundsClosed } : null));
    /** A write that failed (a full disk): exit 1 naming the path, and what is kept. */
    const writeFailed = (error: OutputWriteError) => {
      const kept = last();
      const keptText = kept ? `the last good checkpoint (after ${kept.roundsClosed} of ${totalRounds} rounds) is kept; free some space and continue with: ${resumeHint}` : 'no checkpoint was written yet';
      return new CliExit(1, `error: ${error.message}; ${keptText}`);
    };
    /** Writes the run folder; a failed write becomes writeFailed's exit. */
    const writeFolder = (result: RunResult, more: Partial<RunFolderExtra> = {}) => {
      try {
        return writeRunFolder(dir, config, result, { ...extra(), ...more }, io);
      } catch (error) {
        throw error instanceof OutputWriteError ? writeFailed(error) : error;
      }
    };
    process.stderr.write(`backend: ${trainer.backend}, workers: ${flags.workers}, data: ${dataset.source} (${populationOf(dataset).size} clients, ${populationCounts(populationOf(config.dataset)).clientsWithVideo} with video)${run.resumeFrom ? `, resuming after ${run.resumeFrom.checkpoint.state.roundsClosed} of ${totalRounds} rounds` : ''}\n`);
    let result: RunResult;
    try {
      const sink = store.sink(run.meta.checkpointEvery);
      profiler?.start();
      result = await runSimulation(profiler ? profiler.wrapConfig(config) : config, trainer, {
        checkpoint: profiler ? profiler.wrapSink(sink) : sink,
        resume: run.resumeFrom?.checkpoint,
        signal: signals.signal,
        force: flags.force === true,
        observer: {
          onEval: (record, virtualMs) => progress.update(record.round + 1, virtualMs, record.scores[config.strategy.headline]?.test.accuracy ?? null),
          onTrace: selfSignal(),
        },
      });
    } catch (error) {
      progress.stop();
      if (error instanceof TrainingFailedError) {
        // Keep what was computed, marked incomplete; the caller prints the reason and exits 1.
        writeFolder(error.result);
        io.rmSync(store.dir, { recursive: true, force: true });
        process.stderr.write(`run folder (incomplete, complete: false): ${dir}\n`);
      } else if (!(error instanceof OutputWriteError)) {
        // A crash: the folder must not go on saying `running`; the last checkpoint stays for resume.
        const kept = last();
        markRunCrashed(dir, error, kept ? { roundsClosed: kept.roundsClosed, resume: resumeHint } : null, io);
        process.stderr.write(`run folder (crashed, complete: false): ${dir}${kept ? `; checkpoint after ${kept.roundsClosed} of ${totalRounds} rounds kept, continue with: ${resumeHint}` : ''}\n`);
      }
      throw error instanceof OutputWriteError ? writeFailed(error) : error;
    }
    profiler?.stop();
    progress.stop();
    if (result.interrupted !== null) {
      interrupted = true;
      const signal = signals.received() ?? result.interrupted;
      await (trainer as { abort?: () => Promise<void> }).abort?.();
      writeFolder(result, { interrupted: { signal, resume: resumeHint } });
      process.stderr.write(`interrupted by ${signal} after ${result.events} events (${result.rounds.length} of ${totalRounds} rounds closed); checkpoint in ${store.dir}, partial results in ${join(dir, 'summary.json')} (complete: false)\ncontinue with: ${resumeHint}\n`);
      throw new CliExit(signalExitCode(signal));
    }
    const { wallTimeMs } = extra();
    const summary = writeFolder(result, { wallTimeMs });
    if (profiler) {
      const profile = await profiler.report();
      writeAtomic(join(dir, 'profile.json'), `${JSON.stringify(profile, null, 1)}\n`, io);
      process.stderr.write(`profile: ${join(dir, 'profile.json')} (workers busy ${(100 * profile.workersBusy.busyFraction).toFixed(0)}% of ${(profile.wallMs / 1000).toFixed(1)} s)\n`);
    }
    // The folder is complete: its checkpoint has served.
    io.rmSync(store.dir, { recursive: true, force: true });
    const rows = Object.entries(result.final).map(([name, s]) => [name === config.strategy.headline ? `${name} (headline)` : name, s.accuracy, s.macroF1, s.uar, s.round, s.phase]);
    process.stdout.write(`${renderTextTable(['model', 'test accuracy', 'macro-F1', 'UAR', 'round', 'phase'], rows)}\n`);
    process.stdout.write(`method ${config.strategy.name} | backend ${result.backend} | rounds ${totalRounds} | virtual time ${(result.virtualTimeMs / 1000).toFixed(1)} s | wall ${(wallTimeMs / 1000).toFixed(1)} s\n`);
    process.stdout.write(`traceHash ${result.traceHash}\nweightsHash ${result.weightsHash}\nrun folder: ${dir}\n`);
    return summary;
  } finally {
    progress.stop();
    signals.dispose();
    if (trainer && !interrupted) await trainer.close();
  }
}
