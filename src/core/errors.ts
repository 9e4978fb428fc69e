/**
 * Errors the user can act on. Each names where the bad value came from (file or flag), the field,
 * the value and what is allowed, so one line is enough to fix the input.
 */

/** Bad configuration: a CLI flag, a scenario field, a `--set` value. The CLI exits with code 2. */
export class ConfigError extends Error {
  /** Exit code the CLI uses for this error. */
  readonly exitCode = 2;
  constructor(
    readonly source: string,
    readonly field: string,
    readonly value: unknown,
    readonly allowed: string,
  ) {
    super(`${source}: ${field} = ${formatValue(value)} is invalid: ${allowed}`);
    this.name = 'ConfigError';
  }
}

/** Bad data on disk: names the file, the item key (sample key or index) and the field. */
export class DataError extends Error {
  /** Exit code the CLI uses for this error. */
  readonly exitCode = 2;
  constructor(
    readonly file: string,
    readonly itemKey: string | null,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${file}${itemKey !== null ? ` [item ${itemKey}]` : ''}: ${field}: ${problem}`);
    this.name = 'DataError';
  }
}

/** A broken engine invariant: a bug, reported with the round, client and seed that hit it. */
export class InvariantError extends Error {
  constructor(message: string, readonly context: Record<string, unknown>) {
    super(`${message} (${Object.entries(context).map(([k, v]) => `${k}=${formatValue(v)}`).join(', ')})`);
    this.name = 'InvariantError';
  }
}

/** Short, readable rendering of a value for error messages. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value); // NaN, Infinity: JSON would say null
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return String(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return String(value);
  }
}
