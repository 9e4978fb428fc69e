/**
 * Builds sweep.json's content and the sweep's charts and report.html from its cell records:
 * the verdict table (paired differences over seeds), accuracy against each varied value with 95%
 * intervals and the chance level, participation over virtual time, time-to-accuracy, and the
 * per-round curves with the phase boundary marked.
 */
import type { CellRecord } from '../engine/cell-record.js';
import { renderAccuracyPerRoundSvg } from './accuracy-per-round-chart.js';
import { formatInterval, meanInterval, type MeanInterval } from './confidence.js';
import { renderHtmlReport } from './html-report.js';
import { renderIntervalLineSvg, type IntervalSeries } from './interval-line-chart.js';
import { settingScores, sweepSettings, sweepVerdicts, type SettingScores } from './sweep-summary.js';
import { timelineTable } from './timeline-table.js';
import type { ReportSection } from './types.js';

/** Everything the sweep report is built from. */
export interface SweepInput {
  scenario: string;
  records: CellRecord[];
  /** Varied keys in the order given. */
  varyKeys: string[];
  backend: string;
  workers: number;
  invocation: string;
  wallTimeMs: number;
  numClasses: number;
  reused: number;
}

type Axis = { key: string; of: (r: CellRecord) => string | number | boolean | null };

/** The axes a sweep varies: its --vary keys, and the missing rate when it takes more than one value. */
function axesOf(input: SweepInput): Axis[] {
  const axes: Axis[] = input.varyKeys.map((key) => ({ key, of: (r) => r.vary[key] }));
  if (new Set(input.records.map((r) => r.missingRate)).size > 1) axes.push({ key: 'video-missing rate', of: (r) => r.missingRate });
  return axes;
}

const fmt = (m: MeanInterval) => formatInterval(m);
const seconds = (ms: number) => ms / 1000;

/** sweep.json's content plus the files to write beside it. */
export function buildSweepReport(input: SweepInput): { sweep: object; files: Record<string, string> } {
  const { records } = input;
  const methods = [...new Set(records.map((r) => r.method))];
  const scores = settingScores(records);
  const verdicts = sweepVerdicts(scores);
  const settings = sweepSettings(records);
  const chance = 1 / input.numClasses;
  const seeds = [...new Set(records.map((r) => r.seed))];
  const seedNote = seeds.length === 1 ? '1 seed: no intervals.' : `Bars: 95% intervals over ${seeds.length} seeds (Student's t).`;
  const files: Record<string, string> = {};
  const sections: ReportSection[] = [];

  if (verdicts.length > 0) {
    sections.push({
      title: 'Verdict: ModalityMirror against the best baseline',
      blocks: [
        { kind: 'table', headers: ['setting', 'modality-mirror', 'best baseline', 'difference (paired over seeds) [95% interval]', 'reading'], rows: verdicts.map((v) => [v.setting.label, fmt(scores.find((s) => s.setting === v.setting && s.method === 'modality-mirror')!.accuracy), `${v.baseline} ${fmt(scores.find((s) => s.setting === v.setting && s.method === v.baseline)!.accuracy)}`, formatInterval(v.difference), v.sentence]), caption: 'Audio-only test accuracy. The same seed gives every method the same data, masks and events, so differences are paired by seed.' },
      ],
    });
  }

  for (const axis of axesOf(input)) {
    const others = axesOf(input).filter((a) => a.key !== axis.key);
    const groups = new Map<string, CellRecord[]>();
    for (const r of records) {
      const id = others.map((a) => `${a.key} ${String(a.of(r))}`).join(', ');
      groups.set(id, [...(groups.get(id) ?? []), r]);
    }
    [...groups.entries()].forEach(([group, rs], g) => {
      const values = [...new Set(rs.map(axis.of))];
      const numeric = values.every((v) => typeof v === 'number');
      if (numeric) values.sort((a, b) => (a as number) - (b as number));
      const x = (v: unknown) => (numeric ? (v as number) : values.indexOf(v as never));
      const categories = numeric ? undefined : values.map(String);
      const slug = `${axis.key.replace(/[^\w-]+/g, '_')}${groups.size > 1 ? `-${g + 1}` : ''}`;
      const accuracy: IntervalSeries[] = methods.map((method) => ({
        name: method,
        points: values.flatMap((v) => {
          const cells = rs.filter((r) => r.method === method && axis.of(r) === v && r.headline);
          if (cells.length === 0) return [];
          const m = meanInterval(cells.map((c) => c.headline!.accuracy));
          return [{ x: x(v), y: m.mean, interval: m.ci95 }];
        }),
      }));
      const where = group ? ` (${group})` : '';
      files[`accuracy-vs-${slug}.svg`] = renderIntervalLineSvg(accuracy, { title: `Audio-only accuracy vs. ${axis.key}${where}`, xLabel: axis.key, yLabel: 'accuracy', categories, bounds: [0, 1], reference: { y: chance, label: `chance ${chance.toFixed(2)}` } });
      const target = timeTarget(rs);
      const tta: IntervalSeries[] = methods.map((method) => ({
        name: method,
        points: values.flatMap((v) => {
          const times = rs.filter((r) => r.method === method && axis.of(r) === v).map((r) => r.curve.find((p) => p.accuracy >= target)?.atMs).filter((t): t is number => t !== undefined);
          if (times.length === 0) return [];
          const m = meanInterval(times.map(seconds));
          return [{ x: x(v), y: m.mean, interval: m.ci95 }];
        }),
      }));
      files[`time-to-accuracy-vs-${slug}.svg`] = renderIntervalLineSvg(tta, { title: `Virtual time to reach accuracy ${target.toFixed(3)}${where}`, xLabel: axis.key, yLabel: 'virtual seconds', categories, bounds: [0, Infinity] });
      sections.push({
        title: `Against ${axis.key}${where}`,
        blocks: [
          { kind: 'svg', svg: files[`accuracy-vs-${slug}.svg`], caption: `Mean audio-only test accuracy per method; dashed line: chance (1/${input.numClasses}). ${seedNote} Intervals are drawn clipped to [0, 1].${overlapNote(accuracy)}` },
          { kind: 'svg', svg: files[`time-to-accuracy-vs-${slug}.svg`], caption: `Virtual time until the headline model's test accuracy first reaches ${target.toFixed(3)} (90% of the lowest method's mean peak in this group, so every method can reach it); cells that never reach it are left out.` },
        ],
      });
    });
  }

  const last = settings[settings.length - 1];
  const focus = records.filter((r) => JSON.stringify([r.vary, r.missingRate]) === JSON.stringify([last.vary, last.missingRate]) && r.seed === seeds[0]);
  for (const r of focus) {
    const series: IntervalSeries[] = (['selected', 'succeeded', 'dropped', 'late', 'failed', 'rejected'] as const).map((what, i) => ({
      name: what,
      color: ['#555555', '#2a9d8f', '#e76f51', '#e9c46a', '#264653', '#9b5de5'][i],
      dashed: what === 'selected',
      points: r.participation.map((p) => ({ x: seconds(p.startedAtMs), y: p[what] })),
    }));
    const name = `participation-${r.method}.svg`;
    files[name] = renderIntervalLineSvg(series, { title: `Participation per round: ${r.method} (${last.label}, seed ${r.seed})`, xLabel: 'virtual time at round start (s)', yLabel: 'clients' });
  }
  sections.push({ title: `Participation over virtual time (${last.label}, seed ${seeds[0]})`, blocks: focus.map((r) => ({ kind: 'svg' as const, svg: files[`participation-${r.method}.svg`] })) });

  const curves = methods.map((method) => {
    const cells = records.filter((r) => r.method === method && JSON.stringify([r.vary, r.missingRate]) === JSON.stringify([last.vary, last.missingRate]));
    const length = Math.min(...cells.map((c) => c.curve.length));
    return { method, points: Array.from({ length: Number.isFinite(length) ? length : 0 }, (_, i) => ({ x: cells[0].curve[i].round + 1, accuracy: cells.reduce((s, c) => s + c.curve[i].accuracy, 0) / cells.length })) };
  });
  const boundaries = [...new Set(records.filter((r) => r.roundsPerPhase.length > 1).map((r) => r.roundsPerPhase[0]))];
  const named = withOverlapNames(curves);
  files['accuracy-per-round.svg'] = renderAccuracyPerRoundSvg(named, { title: `Audio accuracy per round (${last.label})`, xLabel: 'round', yLabel: 'accuracy', markers: boundaries.map((b) => ({ x: b + 0.5, label: 'phase 2 starts' })) });
  sections.push({ title: 'Accuracy per round', blocks: [{ kind: 'svg', svg: files['accuracy-per-round.svg'], caption: 'Headline model after each round, mean over seeds; the dashed line marks where two-phase methods start their second phase.' }] });

  sections.push({ title: 'Scores per setting', blocks: (['accuracy', 'macroF1', 'uar'] as const).map((metric) => scoreTable(scores, settings.map((s) => s.label), methods, metric)) });
  const teacher = records.filter((r) => r.models['teacher-av']).map((r) => [r.method, settingLabelOf(r), r.seed, r.models['teacher-av'].accuracy]);
  if (teacher.length > 0) sections.push({ title: 'Teacher (audio-visual, with video)', blocks: [{ kind: 'table', headers: ['method', 'setting', 'seed', 'AV accuracy'], rows: teacher }] });
  sections.push({ title: 'Timeline', blocks: [timelineTable(input.records[0]?.scenario.timeline ?? [])] });
  sections.push({ title: 'Invocation', blocks: [{ kind: 'text', text: input.invocation }] });

  files['report.html'] = renderHtmlReport({
    title: `modality-mirror sweep: ${input.scenario}`,
    params: { scenario: input.scenario, backend: input.backend, cells: records.length, 'reused cells': input.reused, seeds: seeds.join(','), methods: methods.join(','), varied: input.varyKeys.join(', ') || '(none)' },
    sections,
  });

  const sweep = {
    invocation: input.invocation,
    scenario: input.scenario,
    backend: input.backend,
    workers: input.workers,
    wallTimeMs: input.wallTimeMs,
    grid: { vary: input.varyKeys, methods, seeds, settings: settings.map((s) => s.label) },
    reusedCells: input.reused,
    summary: scores.map((s) => ({ setting: s.setting, method: s.method, accuracy: s.accuracy, macroF1: s.macroF1, uar: s.uar })),
    verdict: verdicts.map((v) => ({ setting: v.setting, baseline: v.baseline, difference: { mean: v.difference.mean, sd: v.difference.sd, ci95: v.difference.ci95, n: v.difference.n, seeds: v.difference.keys }, sentence: v.sentence })),
    cells: records,
  };
  return { sweep, files };
}

function settingLabelOf(r: CellRecord): string {
  return [...Object.entries(r.vary).map(([k, v]) => `${k} ${String(v)}`), ...(r.missingRate === null ? [] : [`missing ${r.missingRate}`])].join(', ') || 'base scenario';
}

/** The time-to-accuracy target of a group: 90% of the lowest method's mean peak accuracy. */
function timeTarget(rs: readonly CellRecord[]): number {
  const methods = [...new Set(rs.map((r) => r.method))];
  const peaks = methods.map((m) => meanInterval(rs.filter((r) => r.method === m).map((r) => Math.max(0, ...r.curve.map((p) => p.accuracy)))).mean);
  return 0.9 * Math.min(...peaks);
}

function scoreTable(scores: readonly SettingScores[], labels: string[], methods: string[], metric: 'accuracy' | 'macroF1' | 'uar') {
  return {
    kind: 'table' as const,
    headers: ['setting', ...methods],
    rows: labels.map((label) => [label, ...methods.map((m) => {
      const s = scores.find((x) => x.setting.label === label && x.method === m);
      return s ? fmt(s[metric]) : '-';
    })]),
    caption: `${metric === 'macroF1' ? 'Macro-F1' : metric === 'uar' ? 'UAR' : 'Accuracy'}: mean [95% interval] over seeds`,
  };
}

/** Legend names that say when curves are identical (one line hides the other). */
function withOverlapNames<T extends { method: string; points: Array<{ x: number; accuracy: number }> }>(curves: T[]): T[] {
  return curves.map((c) => {
    const twins = curves.filter((o) => o !== c && JSON.stringify(o.points) === JSON.stringify(c.points)).map((o) => o.method);
    return twins.length > 0 ? { ...c, method: `${c.method} (= ${twins.join(', ')})` } : c;
  });
}

function overlapNote(series: IntervalSeries[]): string {
  const groups = new Map<string, string[]>();
  for (const s of series) groups.set(JSON.stringify(s.points), [...(groups.get(JSON.stringify(s.points)) ?? []), s.name]);
  const same = [...groups.values()].filter((g) => g.length > 1);
  return same.length === 0 ? '' : ` Identical results, drawn on top of each other: ${same.map((g) => g.join(' = ')).join('; ')}.`;
}
