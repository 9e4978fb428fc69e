import { ConfigError } from '../core/errors.js';

/** Throws a {@link ConfigError} naming `source`, `field` and the value unless `value` is a finite number. */
export function requireFinite(source: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ConfigError(source, field, value, 'a finite number');
  }
  return value;
}

/** Throws unless every method name is a non-empty string and no name repeats. */
export function requireUniqueMethods(source: string, methods: string[]): void {
  const seen = new Set<string>();
  methods.forEach((m, i) => {
    if (typeof m !== 'string' || m.trim() === '') {
      throw new ConfigError(source, `series[${i}].method`, m, 'a non-empty method name');
    }
    if (seen.has(m)) throw new ConfigError(source, `series[${i}].method`, m, 'a method name used once per chart');
    seen.add(m);
  });
}

/** Throws if sorted `xs` repeats a value (one point per x and method). */
export function requireDistinctSorted(source: string, field: string, xs: number[]): void {
  for (let i = 1; i < xs.length; i++) {
    if (xs[i] === xs[i - 1]) throw new ConfigError(source, field, xs[i], 'one point per x value');
  }
}
