/**
 * Zod validation that fails with one ConfigError naming the source (file or flag), the field path,
 * the value found there and what is allowed.
 */
import type { z } from 'zod';
import { ConfigError } from '../core/errors.js';

/** The value at a zod issue path inside the raw input (undefined when absent). */
export function valueAtPath(input: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = input;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** Parses `input` or throws a ConfigError for the first issue. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, source: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    throw new ConfigError(source, [...path, key].join('.'), valueAtPath(input, [...issue.path, key]), 'unknown field');
  }
  const allowed = issue.code === 'invalid_value' && 'values' in issue ? `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` : issue.message;
  throw new ConfigError(source, path.join('.') || '(root)', valueAtPath(input, issue.path), allowed);
}
