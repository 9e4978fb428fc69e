/**
 * The statistics of a sweep: per setting (one value of every varied field and the missing rate)
 * and method, the headline accuracy / macro-F1 / UAR over seeds with 95% intervals; and the
 * verdict: ModalityMirror minus the best baseline at that setting as a paired difference over seeds.
 */
import type { CellRecord } from '../engine/cell-record.js';
import { meanInterval, pairedDifference, type MeanInterval } from './confidence.js';

/** One setting of the sweep: the varied values and the missing rate its cells share. */
export interface SweepSetting {
  vary: CellRecord['vary'];
  missingRate: number | null;
  /** A readable label, e.g. "dropout.target.rate 0.3, missing 0.5". */
  label: string;
}

/** A method's scores at one setting. */
export interface SettingScores {
  setting: SweepSetting;
  method: string;
  accuracy: MeanInterval;
  macroF1: MeanInterval;
  uar: MeanInterval;
  /** Headline accuracy by seed (for paired differences). */
  bySeed: Map<number, number>;
}

/** The verdict at one setting. */
export interface SettingVerdict {
  setting: SweepSetting;
  /** The baseline with the highest mean accuracy at this setting. */
  baseline: string;
  difference: MeanInterval & { keys: number[] };
  /** A plain sentence: which is ahead, and whether the interval includes zero. */
  sentence: string;
}

const settingId = (r: { vary: CellRecord['vary']; missingRate: number | null }) => JSON.stringify([r.vary, r.missingRate]);

/** A readable label of a setting. */
export function settingLabel(vary: CellRecord['vary'], missingRate: number | null): string {
  const parts = Object.entries(vary).map(([k, v]) => `${k} ${String(v)}`);
  if (missingRate !== null) parts.push(`missing ${missingRate}`);
  return parts.length > 0 ? parts.join(', ') : 'base scenario';
}

/** The distinct settings of `records`, in first-seen order. */
export function sweepSettings(records: readonly CellRecord[]): SweepSetting[] {
  const seen = new Map<string, SweepSetting>();
  for (const r of records) if (!seen.has(settingId(r))) seen.set(settingId(r), { vary: r.vary, missingRate: r.missingRate, label: settingLabel(r.vary, r.missingRate) });
  return [...seen.values()];
}

/** Scores per setting and method (cells without a headline score are left out). */
export function settingScores(records: readonly CellRecord[]): SettingScores[] {
  const out: SettingScores[] = [];
  const methods = [...new Set(records.map((r) => r.method))];
  for (const setting of sweepSettings(records)) {
    for (const method of methods) {
      const cells = records.filter((r) => r.method === method && settingId(r) === settingId(setting) && r.headline !== null);
      if (cells.length === 0) continue;
      out.push({
        setting,
        method,
        accuracy: meanInterval(cells.map((c) => c.headline!.accuracy)),
        macroF1: meanInterval(cells.map((c) => c.headline!.macroF1)),
        uar: meanInterval(cells.map((c) => c.headline!.uar)),
        bySeed: new Map(cells.map((c) => [c.seed, c.headline!.accuracy])),
      });
    }
  }
  return out;
}

/** ModalityMirror − best baseline per setting; empty when the sweep lacks ModalityMirror or a baseline. */
export function sweepVerdicts(scores: readonly SettingScores[], method = 'modality-mirror'): SettingVerdict[] {
  const out: SettingVerdict[] = [];
  for (const setting of [...new Map(scores.map((s) => [settingId(s.setting), s.setting])).values()]) {
    const here = scores.filter((s) => settingId(s.setting) === settingId(setting));
    const mine = here.find((s) => s.method === method);
    const baselines = here.filter((s) => s.method !== method).sort((a, b) => b.accuracy.mean - a.accuracy.mean);
    if (!mine || baselines.length === 0) continue;
    const best = baselines[0];
    const difference = pairedDifference(mine.bySeed, best.bySeed);
    out.push({ setting, baseline: best.method, difference, sentence: verdictSentence(method, best.method, difference) });
  }
  return out;
}

/** The plain-language reading of a paired difference. */
export function verdictSentence(method: string, baseline: string, d: MeanInterval): string {
  const points = `${(Math.abs(d.mean) * 100).toFixed(1)} points`;
  if (d.ci95 === null) return `${d.mean >= 0 ? `${method} ahead of ${baseline}` : `${baseline} ahead of ${method}`} by ${points} on 1 seed: no interval, not evidence either way.`;
  if (d.ci95[0] <= 0 && d.ci95[1] >= 0) return `No clear difference: the 95% interval of ${method} − ${baseline} includes zero (mean ${d.mean >= 0 ? '+' : '−'}${points}, ${d.n} seeds).`;
  return d.mean > 0
    ? `${method} ahead of ${baseline} by ${points} (95% interval above zero, ${d.n} seeds).`
    : `${baseline} ahead of ${method} by ${points} (95% interval below zero, ${d.n} seeds).`;
}
