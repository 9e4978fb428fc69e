/**
 * Turns grid runs into what the comparison shows: mean ± std of the headline accuracy per method and
 * missing rate, the accuracy-vs-missing series, per-label F1 differences and per-round curves.
 */
import type { GridRun } from '../engine/run-grid.js';
import type { MethodSeries, RoundSeries } from './types.js';

/** Mean and (sample) standard deviation; std is 0 for one value. */
export function meanStd(values: number[]): { mean: number; std: number; n: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, n);
  const std = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std, n };
}

/** Headline accuracy (or another metric) per method and missing rate. */
export function seriesByMethod(runs: GridRun[], metric: 'accuracy' | 'macroF1' = 'accuracy'): MethodSeries[] {
  const methods = [...new Set(runs.map((r) => r.method))];
  const rates = [...new Set(runs.map((r) => r.missingRate))].sort((a, b) => a - b);
  return methods.map((method) => ({
    method,
    points: rates.map((missingRate) => ({ missingRate, ...meanStd(runs.filter((r) => r.method === method && r.missingRate === missingRate && r.headline).map((r) => r.headline![metric])) })),
  }));
}

/** Mean per-class F1 of a method at a missing rate, over seeds. */
export function meanPerClassF1(runs: GridRun[], method: string, missingRate: number): number[] | null {
  const f1s = runs.filter((r) => r.method === method && r.missingRate === missingRate && r.headline).map((r) => r.headline!.perClassF1);
  if (f1s.length === 0) return null;
  return f1s[0].map((_, c) => f1s.reduce((s, f) => s + f[c], 0) / f1s.length);
}

/** Mean headline accuracy per round index, per method, at one missing rate. */
export function roundCurves(runs: GridRun[], missingRate: number): RoundSeries[] {
  const methods = [...new Set(runs.map((r) => r.method))];
  return methods.map((method) => {
    const curves = runs.filter((r) => r.method === method && r.missingRate === missingRate).map((r) => r.curve);
    const length = Math.min(...curves.map((c) => c.length));
    return { method, points: Array.from({ length: Number.isFinite(length) ? length : 0 }, (_, i) => ({ x: curves[0][i].round + 1, accuracy: curves.reduce((s, c) => s + c[i].accuracy, 0) / curves.length })) };
  });
}

/** Compute used per method (mean over its runs): client updates and virtual time. */
export function computeByMethod(runs: GridRun[]): Array<{ method: string; clientUpdates: number; virtualTimeMs: number; roundsPerPhase: number[] }> {
  const methods = [...new Set(runs.map((r) => r.method))];
  return methods.map((method) => {
    const mine = runs.filter((r) => r.method === method);
    return {
      method,
      clientUpdates: meanStd(mine.map((r) => r.clientUpdates)).mean,
      virtualTimeMs: meanStd(mine.map((r) => r.virtualTimeMs)).mean,
      roundsPerPhase: mine[0].roundsPerPhase,
    };
  });
}
