import type { PerClassStats } from './per-class.js';

/**
 * Which classes a macro average runs over:
 * - `labels`: classes with support (present in the labels) — the textbook UAR;
 * - `present`: classes in the labels or the predictions — sklearn's default (`labels=None`), which
 *   FedMultimodal's evaluation uses for macro-F1;
 * - `all`: every class `0..numClasses-1`; absent classes then count as 0 (sklearn with
 *   `labels=range(C)` and `zero_division=0`).
 */
export type ClassSet = 'labels' | 'present' | 'all';

/** Class indices selected by `set`, in ascending order. */
export function selectClasses(stats: PerClassStats, set: ClassSet): number[] {
  const out: number[] = [];
  for (let c = 0; c < stats.support.length; c++) {
    const keep = set === 'all' || stats.support[c] > 0 || (set === 'present' && stats.predicted[c] > 0);
    if (keep) out.push(c);
  }
  return out;
}

/** Unweighted mean of `values` over `classes`; 0 when `classes` is empty. */
export function meanOver(values: number[], classes: number[]): number {
  if (classes.length === 0) return 0;
  let sum = 0;
  for (const c of classes) sum += values[c];
  return sum / classes.length;
}
