/**
 * `modality-mirror compare <scenario>`: the grid of methods × missing rates × seeds on one worker
 * pool; prints mean ± std per method and missing rate and writes compare.json, three SVG charts and
 * a self-contained report.html. A cell that cannot train stops the grid: compare.json is written
 * as `complete: false` with the failure and the cells finished before it, no table is printed, and
 * the GridCellFailedError is rethrown (exit code 1): untrained cells are never averaged.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { checkSweepWork } from '../engine/check-sweep-work.js';
import { buildRunConfig } from '../engine/build-run-config.js';
import { loadScenarioData } from '../scenario/prepare-dataset.js';
import { GridCellFailedError, runGrid } from '../engine/run-grid.js';
import { STRATEGY_NAMES } from '../strategies/registry.js';
import { formatMeanStd } from '../report/format-cell.js';
import { renderTextTable } from '../report/text-table.js';
import { seriesByMethod } from '../report/compare-summary.js';
import { buildCompareReport } from '../report/compare-report.js';
import { DEFAULT_TARGETS, timeToAccuracyTable } from '../report/time-to-accuracy.js';
import { prepareOutDir } from './check-out-dir.js';
import { prepareWhilePoolStarts, trainerFromFlags } from './cli-trainer.js';
import type { CompareFlags } from './flags.js';
import { createGridProgress } from './grid-progress.js';
import { CellStore } from '../engine/cell-store.js';
import { GridProfiler } from './grid-profile.js';
import { prepareScenario } from './prepare-scenario.js';

export type { CompareFlags } from './flags.js';

/** Runs the grid and writes the comparison; `version` is part of every cell's key. Returns compare.json's content. */
export async function compareCommand(file: string, flags: CompareFlags, version = 'unknown') {
  const methods = flags.methods.split(',').map((m) => m.trim()).filter(Boolean);
  for (const m of methods) if (!STRATEGY_NAMES.includes(m)) throw new ConfigError('command line', '--methods', m, `one of ${STRATEGY_NAMES.join(', ')}`);
  for (const p of flags.missing) if (!(p >= 0 && p <= 1)) throw new ConfigError('command line', '--missing', p, 'rates in [0, 1]');
  for (const s of flags.seeds) if (!Number.isInteger(s) || s < 0) throw new ConfigError('command line', '--seeds', s, 'integers >= 0');
  prepareOutDir(flags.out, '--out');
  const scenario = await prepareScenario(file, flags);
  // The pool's workers load tfjs while this thread loads the data (they need it only at 'ready').
  const { started: starting, prepared: { dataset, model } } = await prepareWhilePoolStarts(flags, () => {
    const dataset = loadScenarioData(scenario, file);
    // Every cell is refused before any training when beyond the bounds, as `run` does.
    if (flags.force !== true && flags.fakeTrainer !== true && flags.fakeFail === undefined) {
      checkSweepWork(scenario, dataset, { vary: [], methods, seeds: flags.seeds, missingRates: flags.missing }, file);
    }
    return { dataset, model: buildRunConfig(scenario, dataset, file).model };
  });
  const profiler = flags.profile === true ? new GridProfiler(flags.workers) : null;
  const trainer = profiler ? profiler.wrap(await trainerFromFlags(flags, dataset.store, model, starting)) : await trainerFromFlags(flags, dataset.store, model, starting);
  const started = performance.now(); // wall-clock ok: reported only
  const invocation = `modality-mirror compare ${process.argv.slice(3).join(' ')}`;
  try {
    process.stderr.write(`backend: ${trainer.backend}, workers: ${flags.workers}, grid: ${methods.length} methods × ${flags.missing.length} missing rates × ${flags.seeds.length} seeds\n`);
    let runs;
    let reused = 0;
    try {
      const progress = createGridProgress(methods.length * flags.missing.length * flags.seeds.length);
      const label = (c: { method: string; missingRate: number | null; seed: number }) => `${c.method} missing=${c.missingRate} seed=${c.seed}`;
      try {
        profiler?.start();
        runs = await runGrid(scenario, dataset, trainer, { methods, missingRates: flags.missing, seeds: flags.seeds, computeDoomed: flags.computeDoomed === true, force: flags.force === true }, file, {
          onRun: (run, _i, _total, wasReused) => {
            if (wasReused) reused++;
            progress.finished(label(run), `audio accuracy ${run.headline?.accuracy.toFixed(4) ?? '-'}`, wasReused);
          },
          observerFor: (cell) => {
            progress.started(label(cell));
            return {};
          },
        }, { store: new CellStore(join(flags.out, 'cells')), version }, flags.concurrency ?? 1);
      } finally {
        progress.stop();
      }
      await profiler?.finish(flags.out);
      if (reused > 0) process.stderr.write(`skipped ${reused} of ${runs.length} cells (already computed in ${join(flags.out, 'cells')})\n`);
    } catch (error) {
      if (error instanceof GridCellFailedError) {
        const failed = {
          complete: false,
          failure: { ...error.failure, message: error.message, cell: error.cell },
          invocation,
          scenario: scenario.name,
          backend: trainer.backend,
          workers: flags.workers,
          grid: { methods, missingRates: flags.missing, seeds: flags.seeds },
          // Cells finished before the failing one, as computed; the failing cell's rounds as recorded.
          completedRuns: error.completed,
          failedCellRounds: error.result.rounds,
        };
        writeFileSync(join(flags.out, 'compare.json'), `${JSON.stringify(failed, null, 2)}\n`);
        process.stderr.write(`wrote ${join(flags.out, 'compare.json')} (incomplete, complete: false)\n`);
      }
      throw error;
    }
    const wallTimeMs = Math.round(performance.now() - started); // wall-clock ok
    const targets = flags.targets ?? DEFAULT_TARGETS;
    const { compare, files, timeToAccuracy } = buildCompareReport({ scenario, runs, backend: trainer.backend, workers: flags.workers, invocation, wallTimeMs, dataset, model, targets });
    writeFileSync(join(flags.out, 'compare.json'), `${JSON.stringify({ complete: true, ...compare }, null, 2)}\n`);
    for (const [name, content] of Object.entries(files)) writeFileSync(join(flags.out, name), content);
    const series = seriesByMethod(runs);
    const headers = ['method', ...flags.missing.map((p) => `missing ${p}`)];
    const rows = series.map((s) => [s.method, ...s.points.map((p) => formatMeanStd(p.mean, p.std, 4, p.n))]);
    process.stdout.write(`audio-only test accuracy (mean ± std over ${flags.seeds.length} seed${flags.seeds.length > 1 ? 's' : ''}), backend ${trainer.backend}\n`);
    process.stdout.write(`${renderTextTable(headers, rows)}\n`);
    process.stdout.write(`virtual time until the audio-only test accuracy first reaches each target (mean over seeds that reached it)\n`);
    const toTarget = timeToAccuracyTable(timeToAccuracy, targets);
    process.stdout.write(`${renderTextTable(toTarget.headers, toTarget.rows)}\n`);
    process.stdout.write(`wrote ${join(flags.out, 'compare.json')}, ${Object.keys(files).map((f) => join(flags.out, f)).join(', ')}\n`);
    return compare;
  } finally {
    await trainer.close();
  }
}
