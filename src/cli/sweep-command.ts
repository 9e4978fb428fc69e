/**
 * `modality-mirror sweep <scenario> --vary PATH=v1,v2,… [--vary …] --methods … --seeds …
 * [--missing …] --out DIR`: every combination of the varied values × methods × seeds (× missing
 * rates) on one dataset and one worker pool. Each finished cell is stored under DIR/cells at once;
 * the same command again reuses the cells already computed and says how many. Writes sweep.json,
 * SVG charts and report.html. A cell that cannot train stops the sweep (exit 1, sweep.json marked
 * `complete: false`, the finished cells kept).
 */
import { join } from 'node:path';
import { CellStore } from '../engine/cell-store.js';
import { checkSweepWork } from '../engine/check-sweep-work.js';
import { writeAtomic } from '../engine/atomic-write.js';
import { buildRunConfig } from '../engine/build-run-config.js';
import { loadScenarioData } from '../scenario/prepare-dataset.js';
import { GridCellFailedError, runSweep } from '../engine/run-sweep.js';
import { parseVary, type SweepSpec } from '../engine/sweep-cells.js';
import { buildSweepReport } from '../report/sweep-report.js';
import { settingScores, sweepVerdicts } from '../report/sweep-summary.js';
import { formatInterval } from '../report/confidence.js';
import { renderTextTable } from '../report/text-table.js';
import { STRATEGY_NAMES } from '../strategies/registry.js';
import { prepareOutDir } from './check-out-dir.js';
import { prepareWhilePoolStarts, trainerFromFlags } from './cli-trainer.js';
import type { CommonFlags } from './flags.js';
import { createGridProgress } from './grid-progress.js';
import { nameList, numberList } from './grid-lists.js';
import { GridProfiler } from './grid-profile.js';
import { prepareScenario } from './prepare-scenario.js';

/** Flags of `sweep`. */
export interface SweepFlags extends CommonFlags {
  vary?: string[];
  methods: string;
  seeds: string;
  missing?: string;
  /** Cells run at once on the one pool (default 1). */
  concurrency?: number;
  /** Write `<out>/profile.json` for the whole sweep (see grid-profile.ts). */
  profile?: boolean;
}

/** Runs the sweep and writes its outputs; `version` is part of every cell's key. Returns sweep.json's content. */
export async function sweepCommand(file: string, flags: SweepFlags, version: string): Promise<object> {
  const methods = nameList('--methods', flags.methods, STRATEGY_NAMES);
  const seeds = numberList('--seeds', flags.seeds, { min: 0, integer: true });
  const missingRates = flags.missing === undefined ? null : numberList('--missing', flags.missing, { min: 0, max: 1 });
  prepareOutDir(flags.out, '--out');
  const scenario = await prepareScenario(file, flags);
  const vary = (flags.vary ?? []).map((text) => parseVary(text, scenario));
  const spec: SweepSpec = { vary, methods, seeds, missingRates, computeDoomed: flags.computeDoomed === true, force: flags.force === true };
  // The pool's workers load tfjs while this thread loads the data (they need it only at 'ready').
  const { started: starting, prepared: { dataset, model } } = await prepareWhilePoolStarts(flags, () => {
    const dataset = loadScenarioData(scenario, file);
    // Refused before any training, as `run` does (the fake trainer has no real work to bound).
    if (spec.force !== true && flags.fakeTrainer !== true && flags.fakeFail === undefined) checkSweepWork(scenario, dataset, spec, file);
    return { dataset, model: buildRunConfig(scenario, dataset, file).model };
  });
  const profiler = flags.profile === true ? new GridProfiler(flags.workers) : null;
  const trainer = profiler ? profiler.wrap(await trainerFromFlags(flags, dataset.store, model, starting)) : await trainerFromFlags(flags, dataset.store, model, starting);
  const invocation = `modality-mirror sweep ${process.argv.slice(3).join(' ')}`;
  const started = performance.now(); // wall-clock ok: reported only
  const total = vary.reduce((n, a) => n * a.values.length, 1) * methods.length * seeds.length * (missingRates?.length ?? 1);
  process.stderr.write(`backend: ${trainer.backend}, workers: ${flags.workers}, sweep: ${total} cells (${[...vary.map((a) => `${a.key} × ${a.values.length}`), `${methods.length} methods`, `${seeds.length} seeds`, ...(missingRates ? [`${missingRates.length} missing rates`] : [])].join(' × ')})\n`);
  const progress = createGridProgress(total);
  const label = (c: { method: string; seed: number; vary: Record<string, unknown>; missingRate: number | null }) =>
    [c.method, ...Object.entries(c.vary).map(([k, v]) => `${k}=${String(v)}`), ...(c.missingRate === null ? [] : [`missing=${c.missingRate}`]), `seed=${c.seed}`].join(' ');
  try {
    let outcome;
    try {
      profiler?.start();
      outcome = await runSweep(scenario, dataset, trainer, spec, file, {
        observerFor: (cell) => {
          progress.started(label(cell));
          return {};
        },
        onCell: (record, cell, reused) => progress.finished(label(cell), `audio accuracy ${record.headline?.accuracy.toFixed(4) ?? '-'}`, reused),
      }, { store: new CellStore(join(flags.out, 'cells')), version }, flags.concurrency ?? 1);
    } catch (error) {
      progress.stop();
      if (error instanceof GridCellFailedError) {
        const failed = { complete: false, failure: { ...error.failure, message: error.message, cell: error.cell }, invocation, scenario: scenario.name, backend: trainer.backend, cells: error.completed };
        writeAtomic(join(flags.out, 'sweep.json'), `${JSON.stringify(failed, null, 2)}\n`);
        process.stderr.write(`wrote ${join(flags.out, 'sweep.json')} (incomplete, complete: false); finished cells are kept in ${join(flags.out, 'cells')}\n`);
      }
      throw error;
    }
    progress.stop();
    await profiler?.finish(flags.out);
    const { records, reused } = outcome;
    if (reused > 0) process.stderr.write(`skipped ${reused} of ${records.length} cells (already computed in ${join(flags.out, 'cells')})\n`);
    const wallTimeMs = Math.round(performance.now() - started); // wall-clock ok
    const { sweep, files } = buildSweepReport({ scenario: scenario.name, records, varyKeys: vary.map((a) => a.key), backend: trainer.backend, workers: flags.workers, invocation, wallTimeMs, numClasses: dataset.store.numClasses, reused });
    writeAtomic(join(flags.out, 'sweep.json'), `${JSON.stringify({ complete: true, ...sweep }, null, 2)}\n`);
    for (const [name, content] of Object.entries(files)) writeAtomic(join(flags.out, name), content);
    const scores = settingScores(records);
    const settings = [...new Set(scores.map((s) => s.setting.label))];
    const headers = ['setting', ...methods];
    const rows = settings.map((label) => [label, ...methods.map((m) => {
      const s = scores.find((x) => x.setting.label === label && x.method === m);
      return s ? formatInterval(s.accuracy) : '-';
    })]);
    process.stdout.write(`audio-only test accuracy, mean [95% interval] over ${seeds.length} seed${seeds.length > 1 ? 's' : ''}, backend ${trainer.backend}\n${renderTextTable(headers, rows)}\n`);
    for (const v of sweepVerdicts(scores)) process.stdout.write(`${v.setting.label}: ${v.sentence}\n`);
    process.stdout.write(`wrote ${join(flags.out, 'sweep.json')}, ${Object.keys(files).map((f) => join(flags.out, f)).join(', ')}\n`);
    return sweep;
  } finally {
    await trainer.close();
  }
}
