/**
 * Statistics of `npm run bench:e2e --repeat N`: each configuration is run N times, interleaved with
 * PyTorch's, and a ratio is taken within each repeat (project run i ÷ PyTorch run i, measured
 * minutes apart) so slow drift in the machine's load lands on both sides of it. The verdicts read
 * the median of those paired ratios; the range says how far one repeat can stray on a shared machine.
 */
import { readFileSync } from 'node:fs';

/** Median of `values` (the mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Paired ratios summarised: median, range and how many repeats met `limit` (ratio ≤ limit). */
export interface RatioSummary {
  median: number;
  min: number;
  max: number;
  /** Repeats paired (those where both sides were measured). */
  n: number;
  /** Repeats whose ratio is at most the limit given to summariseRatios (null: no limit given). */
  within: number | null;
}

/** Summarises numerator[i] ÷ denominator[i] over the repeats where both are finite numbers. */
export function summariseRatios(pairs: ReadonlyArray<readonly [number | null | undefined, number | null | undefined]>, limit?: number): RatioSummary {
  const ratios = pairs
    .filter((p): p is readonly [number, number] => typeof p[0] === 'number' && typeof p[1] === 'number' && Number.isFinite(p[0]) && Number.isFinite(p[1]) && p[1] > 0)
    .map(([a, b]) => a / b);
  return {
    median: median(ratios),
    min: ratios.length ? Math.min(...ratios) : Number.NaN,
    max: ratios.length ? Math.max(...ratios) : Number.NaN,
    n: ratios.length,
    within: limit === undefined ? null : ratios.filter((r) => r <= limit).length,
  };
}

/** The vector units the x86 CPU offers (what PyTorch's oneDNN and OpenBLAS use; wasm SIMD is 128-bit without FMA). */
export interface CpuVectorUnits {
  model: string | null;
  avx2: boolean;
  fma: boolean;
  avx512f: boolean;
}

/** Reads the first processor's model name and vector flags from /proc/cpuinfo text. */
export function cpuVectorUnits(cpuinfo: string): CpuVectorUnits {
  const field = (name: string) => cpuinfo.split('\n').find((l) => l.startsWith(name))?.split(':').slice(1).join(':').trim() ?? null;
  const flags = new Set((field('flags') ?? '').split(/\s+/));
  return { model: field('model name'), avx2: flags.has('avx2'), fma: flags.has('fma'), avx512f: flags.has('avx512f') };
}

/** This machine's vector units, or null where /proc/cpuinfo cannot be read (not Linux). */
export function readCpuVectorUnits(): CpuVectorUnits | null {
  try {
    return cpuVectorUnits(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return null;
  }
}
