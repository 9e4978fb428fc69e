/**
 * Grid lists from the command line (`--methods a,b`, `--seeds 1,2`, `--missing 0.1,0.5`): every
 * entry given, none empty, none repeated (a repeated seed would be averaged as if independent),
 * numbers written as decimal numbers; errors quote the flag and the text exactly as given.
 */
import { ConfigError } from '../core/errors.js';

function entries(flag: string, text: string): string[] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.some((p) => p === '')) throw new ConfigError('command line', flag, text, 'a comma-separated list without empty entries');
  const seen = new Set<string>();
  for (const p of parts) {
    if (seen.has(p)) throw new ConfigError('command line', flag, text, `distinct entries ('${p}' is repeated; repeats would be averaged as if independent)`);
    seen.add(p);
  }
  return parts;
}

/** Names from `text`, each one of `allowed`. */
export function nameList(flag: string, text: string, allowed: readonly string[]): string[] {
  const names = entries(flag, text);
  for (const n of names) if (!allowed.includes(n)) throw new ConfigError('command line', flag, n, `one of ${allowed.join(', ')}`);
  return names;
}

/** Numbers from `text` within [min, max]; `integer` requires whole numbers. */
export function numberList(flag: string, text: string, range: { min: number; max?: number; integer?: boolean }): number[] {
  return entries(flag, text).map((p) => {
    const value = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(p) ? Number(p) : NaN;
    const ok = Number.isFinite(value) && value >= range.min && (range.max === undefined || value <= range.max) && (!range.integer || Number.isSafeInteger(value));
    if (!ok) throw new ConfigError('command line', flag, p, `${range.integer ? 'integers' : 'numbers'} >= ${range.min}${range.max !== undefined ? ` and <= ${range.max}` : ''}`);
    return value;
  });
}
