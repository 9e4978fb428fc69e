/**
 * Confidence intervals over seeds: Student's t for small samples. A mean of one value has no
 * interval (null), never a zero-width one.
 */

/** Two-sided 95% quantiles t(0.975, df) for df = 1..30; larger df use the normal 1.96 (off by < 2%). */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** t(0.975, df). */
export function t975(df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new Error(`t975: degrees of freedom ${df} must be an integer >= 1`);
  return df <= T975.length ? T975[df - 1] : 1.96;
}

/** Mean of `values` with its 95% interval (null for fewer than two values). */
export interface MeanInterval {
  n: number;
  mean: number;
  /** Sample standard deviation (null for n < 2). */
  sd: number | null;
  /** [low, high] of the 95% interval, or null for n < 2. */
  ci95: [number, number] | null;
}

/** Mean and Student-t 95% interval of `values`. */
export function meanInterval(values: readonly number[]): MeanInterval {
  const n = values.length;
  if (n === 0) throw new Error('meanInterval: no values');
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { n, mean, sd: null, ci95: null };
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const half = (t975(n - 1) * sd) / Math.sqrt(n);
  return { n, mean, sd, ci95: [mean - half, mean + half] };
}

/**
 * The paired difference a − b over the keys both have (seeds: the same seed gives both methods the
 * same data, masks and events), with its 95% interval.
 */
export function pairedDifference(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>): MeanInterval & { keys: number[] } {
  const keys = [...a.keys()].filter((k) => b.has(k)).sort((x, y) => x - y);
  if (keys.length === 0) throw new Error('pairedDifference: no key in common');
  return { ...meanInterval(keys.map((k) => a.get(k)! - b.get(k)!)), keys };
}

/** "0.0123 [−0.0040, 0.0286]" or "0.0123 (1 seed)". */
export function formatInterval(m: MeanInterval, digits = 4): string {
  const f = (x: number) => x.toFixed(digits).replace('-', '−');
  return m.ci95 === null ? `${f(m.mean)} (1 seed)` : `${f(m.mean)} [${f(m.ci95[0])}, ${f(m.ci95[1])}]`;
}
