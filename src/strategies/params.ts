/**
 * Validation of algorithm parameters (`algorithm.params`, `--set mu=…`). Each method declares its
 * parameters in its own file (`defaults` and `paramRules`). A parameter may be set for a grid of
 * several methods at once, so a name is accepted if any registered method reads it; its value must
 * satisfy every method that reads it, or training would fail later instead of now.
 */
import { ConfigError } from '../core/errors.js';
import type { ParamRule } from '../protocol/local-step.js';
import { STRATEGIES } from './registry.js';
import type { Strategy } from './strategy.js';

/** Each parameter name with the methods that read it and their rules. */
export function parameterRules(strategies: readonly Strategy[] = Object.values(STRATEGIES)): Map<string, Array<{ method: string; rule: ParamRule | undefined }>> {
  const out = new Map<string, Array<{ method: string; rule: ParamRule | undefined }>>();
  for (const s of strategies) {
    for (const name of Object.keys(s.defaults)) out.set(name, [...(out.get(name) ?? []), { method: s.name, rule: s.paramRules?.[name] }]);
  }
  return out;
}

/** Throws a ConfigError for an unknown parameter, a non-finite value, or a value out of a reader's range. */
export function validateParams(params: Record<string, number>, source: string): void {
  const rules = parameterRules();
  for (const [name, value] of Object.entries(params)) {
    const readers = rules.get(name);
    if (readers === undefined) {
      throw new ConfigError(source, `algorithm.params.${name}`, value, `unknown parameter; known: ${[...rules.keys()].join(', ')}`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new ConfigError(source, `algorithm.params.${name}`, value, 'a finite number');
    for (const { rule } of readers) if (rule && !rule.ok(value)) throw new ConfigError(source, `algorithm.params.${name}`, value, rule.allowed);
  }
}
