/**
 * Builds compare.json and the comparison's charts and HTML report from the grid runs.
 */
import { populationOf } from '../data/client-rows.js';
import type { LoadedDataset } from '../data/types.js';
import type { GridRun } from '../engine/run-grid.js';
import type { Scenario } from '../scenario/schema.js';
import type { ModelConfig } from '../model/model-config.js';
import { renderAccuracyPerRoundSvg } from './accuracy-per-round-chart.js';
import { renderAccuracyVsMissingSvg } from './accuracy-vs-missing-chart.js';
import { computeByMethod, meanPerClassF1, roundCurves, seriesByMethod } from './compare-summary.js';
import { formatMeanStd } from './format-cell.js';
import { renderHtmlReport } from './html-report.js';
import { perLabelF1Diffs, renderPerLabelF1DiffSvg } from './per-label-f1-diff-chart.js';
import { timelineTable } from './timeline-table.js';
import type { MethodSeries, ReportSection } from './types.js';
import { DEFAULT_TARGETS, timeCurves, timeToAccuracyTable, timeToTargets, type TimeToTarget } from './time-to-accuracy.js';

/** Everything the comparison report is built from. */
export interface CompareInput {
  scenario: Scenario;
  runs: GridRun[];
  backend: string;
  workers: number;
  invocation: string;
  wallTimeMs: number;
  dataset: LoadedDataset;
  model: ModelConfig;
  /** Accuracy targets of the time-to-accuracy table (default 0.3, 0.5, 0.7). */
  targets?: readonly number[];
}

/** compare.json's content plus the files to write beside it (SVGs and report.html). */
export function buildCompareReport(input: CompareInput): { compare: object; files: Record<string, string>; timeToAccuracy: TimeToTarget[] } {
  const { runs, scenario, dataset } = input;
  const rates = [...new Set(runs.map((r) => r.missingRate))].sort((a, b) => a - b);
  const focusRate = rates[rates.length - 1];
  const series = seriesByMethod(runs);
  const f1Series = seriesByMethod(runs, 'macroF1');
  const compute = computeByMethod(runs);
  const files: Record<string, string> = {};
  const sections: ReportSection[] = [];

  files['accuracy-vs-missing.svg'] = renderAccuracyVsMissingSvg(series, { title: 'Audio-only test accuracy vs. video-missing rate', yLabel: 'accuracy' });
  sections.push({
    title: 'Audio-only accuracy against the video-missing rate',
    blocks: [
      { kind: 'svg', svg: files['accuracy-vs-missing.svg'], caption: `Mean ± std over seeds; each method scored on the same audio-only test set (the paper's Figure 3).${overlapNote(series)}` },
      { kind: 'table', headers: ['method', ...rates.map((p) => `missing ${p}`)], rows: series.map((s) => [s.method, ...s.points.map((p) => formatMeanStd(p.mean, p.std, 4, p.n))]), caption: 'Accuracy' },
      { kind: 'table', headers: ['method', ...rates.map((p) => `missing ${p}`)], rows: f1Series.map((s) => [s.method, ...s.points.map((p) => formatMeanStd(p.mean, p.std, 4, p.n))]), caption: 'Macro-F1' },
    ],
  });

  const diffs: Record<string, number[]> = {};
  const mm = meanPerClassF1(runs, 'modality-mirror', focusRate);
  for (const other of ['harmony', 'unifl']) {
    const base = meanPerClassF1(runs, other, focusRate);
    if (!mm || !base) continue;
    diffs[other] = perLabelF1Diffs(mm, base);
    const name = `f1-diff-vs-${other}.svg`;
    files[name] = renderPerLabelF1DiffSvg({ title: `Per-label F1: ModalityMirror − ${other} (missing ${focusRate})`, classNames: dataset.store.classNames, diffs: diffs[other], valueLabel: `F1(modality-mirror) − F1(${other})` });
  }
  if (Object.keys(diffs).length > 0) {
    sections.push({
      title: `Largest per-label F1 changes at video-missing rate ${focusRate}`,
      blocks: Object.keys(diffs).map((other) => ({ kind: 'svg' as const, svg: files[`f1-diff-vs-${other}.svg`], caption: `Ten largest |ΔF1| labels, mean over seeds (the paper's Figure 2).` })),
    });
  }

  files['accuracy-per-round.svg'] = renderAccuracyPerRoundSvg(roundCurves(runs, focusRate).map((s) => ({ ...s })), { title: `Audio accuracy per round (missing ${focusRate})`, xLabel: 'round', yLabel: 'accuracy' });
  sections.push({
    title: 'Accuracy per round',
    blocks: [
      { kind: 'svg', svg: files['accuracy-per-round.svg'], caption: 'Headline model after each round, mean over seeds. Two-phase methods switch model at the phase boundary (ModalityMirror: student from phase 2; Harmony: its stage-1 audio model).' },
      { kind: 'table', headers: ['method', 'rounds per phase', 'client updates', 'virtual time (s)'], rows: compute.map((c) => [c.method, c.roundsPerPhase.join(' + '), c.clientUpdates, Number((c.virtualTimeMs / 1000).toFixed(1))]), caption: 'Compute used (mean per run)' },
    ],
  });

  // Time-to-accuracy on the virtual clock: compares methods whose rounds differ (a synchronous round, an asynchronous server step).
  const targets = input.targets ?? DEFAULT_TARGETS;
  const toTarget = timeToTargets(runs, targets);
  files['accuracy-vs-time.svg'] = renderAccuracyPerRoundSvg(timeCurves(runs, focusRate), { title: `Audio accuracy against virtual time (missing ${focusRate})`, xLabel: 'virtual time (s)', yLabel: 'accuracy' });
  sections.push({
    title: 'Time to accuracy (virtual time)',
    blocks: [
      { kind: 'svg', svg: files['accuracy-vs-time.svg'], caption: 'Headline test accuracy after each evaluation, at its virtual time; the i-th evaluation averaged over seeds.' },
      { kind: 'table', ...timeToAccuracyTable(toTarget, targets), caption: 'Virtual seconds until the headline test accuracy first reaches each target (mean over the seeds that reached it; n/N when not all did)' },
    ],
  });

  const teacher = runs.filter((r) => r.models['teacher-av'] || r.models.av).map((r) => [r.method, r.missingRate, r.seed, (r.models['teacher-av'] ?? r.models.av).accuracy]);
  if (teacher.length > 0) sections.push({ title: 'Audio-visual scores (with video)', blocks: [{ kind: 'table', headers: ['method', 'missing', 'seed', 'AV accuracy'], rows: teacher }] });

  const params = {
    scenario: scenario.name,
    backend: input.backend,
    seeds: [...new Set(runs.map((r) => r.seed))].join(','),
    'missing rates': rates.join(','),
    rounds: scenario.algorithm.rounds,
    budget: scenario.algorithm.budget,
    clientsPerRound: scenario.rounds.clientsPerRound,
    epochs: scenario.training.epochs,
    batchSize: scenario.training.batchSize,
    lr: scenario.training.lr,
    data: dataset.source,
    clients: populationOf(dataset).size,
  };
  files['report.html'] = renderHtmlReport({ title: `modality-mirror comparison: ${scenario.name}`, params, sections: [...sections, { title: 'Timeline', blocks: [timelineTable(scenario.timeline)] }, { title: 'Invocation', blocks: [{ kind: 'text', text: input.invocation }] }] });

  const compare = {
    invocation: input.invocation,
    scenario: scenario.name,
    backend: input.backend,
    workers: input.workers,
    wallTimeMs: input.wallTimeMs,
    timeline: scenario.timeline,
    parameters: { training: scenario.training, rounds: scenario.rounds, server: scenario.server, algorithm: { rounds: scenario.algorithm.rounds, budget: scenario.algorithm.budget, phaseRounds: scenario.algorithm.phaseRounds ?? null }, model: input.model, population: scenario.population, data: scenario.data, perMethod: Object.fromEntries(compute.map((c) => [c.method, { roundsPerPhase: c.roundsPerPhase, params: runs.find((r) => r.method === c.method)!.params }])) },
    summary: series.map((s) => ({ method: s.method, points: s.points })),
    summaryMacroF1: f1Series.map((s) => ({ method: s.method, points: s.points })),
    compute,
    timeToAccuracy: toTarget,
    perLabelF1Diff: { missingRate: focusRate, classNames: dataset.store.classNames, vs: diffs },
    runs,
  };
  return { compare, files, timeToAccuracy: toTarget };
}

/** Says which methods have identical curves (one line hides the other in the chart), or nothing. */
function overlapNote(series: MethodSeries[]): string {
  const groups = new Map<string, string[]>();
  for (const s of series) {
    const key = JSON.stringify(s.points.map((p) => [p.mean, p.std]));
    groups.set(key, [...(groups.get(key) ?? []), s.method]);
  }
  const same = [...groups.values()].filter((g) => g.length > 1);
  return same.length === 0 ? '' : ` Identical results, drawn on top of each other: ${same.map((g) => g.join(' = ')).join('; ')}.`;
}
