/**
 * Validation of algorithm parameters (`algorithm.params`, `--set alpha=…`). A parameter may be
 * set for a grid of several methods at once, so a name is accepted if any method reads it; its
 * value must lie in the range that method needs, or training would fail later instead of now.
 */
import { ConfigError } from '../core/errors.js';

interface ParamRule {
  allowed: string;
  ok: (v: number) => boolean;
}

const RULES: Record<string, ParamRule> = {
  alpha: { allowed: 'the CE weight of ModalityMirror\'s distillation loss, in [0, 1]', ok: (v) => v >= 0 && v <= 1 },
  temperature: { allowed: 'the distillation temperature, > 0', ok: (v) => v > 0 },
  lr2: { allowed: "ModalityMirror's phase-2 learning rate, >= 0 (0 = the run's lr)", ok: (v) => v >= 0 },
  clusters: { allowed: "Harmony's number of clusters, an integer >= 1", ok: (v) => Number.isInteger(v) && v >= 1 },
  concurrency: { allowed: "FedBuff's clients training at once, an integer >= 0 (0 = rounds.clientsPerRound)", ok: (v) => Number.isInteger(v) && v >= 0 },
  bufferSize: { allowed: "FedBuff's updates per server step K, an integer >= 0 (0 = half the concurrency, rounded up)", ok: (v) => Number.isInteger(v) && v >= 0 },
  stalenessExponent: { allowed: "FedBuff's staleness exponent a in 1/(1+s)^a, >= 0 (0 = constant weighting)", ok: (v) => v >= 0 },
  globalLr: { allowed: "FedBuff's server learning rate, > 0", ok: (v) => v > 0 },
  evalEvery: { allowed: 'FedBuff: evaluate after every N-th server step, an integer >= 1', ok: (v) => Number.isInteger(v) && v >= 1 },
};

/** Throws a ConfigError for an unknown parameter or a value out of range. */
export function validateParams(params: Record<string, number>, source: string): void {
  for (const [name, value] of Object.entries(params)) {
    const rule = RULES[name];
    if (!rule) throw new ConfigError(source, `algorithm.params.${name}`, value, `unknown parameter; known: ${Object.keys(RULES).join(', ')}`);
    if (!rule.ok(value)) throw new ConfigError(source, `algorithm.params.${name}`, value, rule.allowed);
  }
}
