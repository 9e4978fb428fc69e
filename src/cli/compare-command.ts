/**
 * `modality-mirror compare <scenario>`: the grid of methods × missing rates × seeds on one worker
 * pool; prints mean ± std per method and missing rate and writes compare.json, three SVG charts and
 * a self-contained report.html.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { buildRunConfig } from '../engine/build-run-config.js';
import { createTrainer } from '../engine/create-trainer.js';
import { loadScenarioData } from '../engine/prepare-dataset.js';
import { runGrid } from '../engine/run-grid.js';
import type { BackendName } from '../model/backend.js';
import { STRATEGY_NAMES } from '../strategies/registry.js';
import { formatMeanStd } from '../report/format-cell.js';
import { renderTextTable } from '../report/text-table.js';
import { seriesByMethod } from '../report/compare-summary.js';
import { buildCompareReport } from '../report/compare-report.js';
import { createProgress } from './progress.js';
import { prepareScenario, type ScenarioFlags } from './prepare-scenario.js';

/** Flags of `compare`. */
export interface CompareFlags extends ScenarioFlags {
  methods: string;
  missing: number[];
  seeds: number[];
  workers: number;
  out: string;
  backend?: BackendName;
  fakeTrainer?: boolean;
}

/** Runs the grid and writes the comparison. Returns compare.json's content. */
export async function compareCommand(file: string, flags: CompareFlags) {
  const methods = flags.methods.split(',').map((m) => m.trim()).filter(Boolean);
  for (const m of methods) if (!STRATEGY_NAMES.includes(m)) throw new ConfigError('command line', '--methods', m, `one of ${STRATEGY_NAMES.join(', ')}`);
  for (const p of flags.missing) if (!(p >= 0 && p <= 1)) throw new ConfigError('command line', '--missing', p, 'rates in [0, 1]');
  for (const s of flags.seeds) if (!Number.isInteger(s) || s < 0) throw new ConfigError('command line', '--seeds', s, 'integers >= 0');
  const scenario = await prepareScenario(file, flags);
  const dataset = loadScenarioData(scenario, file);
  const model = buildRunConfig(scenario, dataset, file).model;
  const trainer = await createTrainer({ workers: flags.workers, backend: flags.backend, fake: flags.fakeTrainer }, dataset.store, model);
  const started = performance.now(); // wall-clock ok: reported only
  try {
    process.stderr.write(`backend: ${trainer.backend}, workers: ${flags.workers}, grid: ${methods.length} methods × ${flags.missing.length} missing rates × ${flags.seeds.length} seeds\n`);
    const runs = await runGrid(scenario, dataset, trainer, { methods, missingRates: flags.missing, seeds: flags.seeds }, file, {
      onRun: (run, i, total) => process.stderr.write(`[${i}/${total}] ${run.method} missing=${run.missingRate} seed=${run.seed}: audio accuracy ${run.headline?.accuracy.toFixed(4) ?? '-'}\n`),
      observerFor: (cell) => {
        // A bar per cell on a terminal; piped output gets only the one line per finished cell above.
        const bar = createProgress(`[${cell.index}/${cell.total}] ${cell.method} missing=${cell.missingRate} seed=${cell.seed}`, cell.rounds, true);
        return { onEval: (record, virtualMs) => bar.update(record.round + 1, virtualMs, record.scores.audio?.test.accuracy ?? null), done: () => bar.stop() };
      },
    });
    const wallTimeMs = Math.round(performance.now() - started); // wall-clock ok
    mkdirSync(flags.out, { recursive: true });
    const invocation = `modality-mirror compare ${process.argv.slice(3).join(' ')}`;
    const { compare, files } = buildCompareReport({ scenario, runs, backend: trainer.backend, workers: flags.workers, invocation, wallTimeMs, dataset, model });
    writeFileSync(join(flags.out, 'compare.json'), `${JSON.stringify(compare, null, 2)}\n`);
    for (const [name, content] of Object.entries(files)) writeFileSync(join(flags.out, name), content);
    const series = seriesByMethod(runs);
    const headers = ['method', ...flags.missing.map((p) => `missing ${p}`)];
    const rows = series.map((s) => [s.method, ...s.points.map((p) => formatMeanStd(p.mean, p.std))]);
    process.stdout.write(`audio-only test accuracy (mean ± std over ${flags.seeds.length} seed${flags.seeds.length > 1 ? 's' : ''}), backend ${trainer.backend}\n`);
    process.stdout.write(`${renderTextTable(headers, rows)}\n`);
    process.stdout.write(`wrote ${join(flags.out, 'compare.json')}, ${Object.keys(files).map((f) => join(flags.out, f)).join(', ')}\n`);
    return compare;
  } finally {
    await trainer.close();
  }
}
