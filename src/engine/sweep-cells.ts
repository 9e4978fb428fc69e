/**
 * The cells of a sweep: the product of every varied field's values × video-missing rates ×
 * methods × seeds, in a fixed order (seed, varied values, missing rate, method), each cell as the
 * `--set` assignments that make it from the base scenario.
 */
import { ConfigError } from '../core/errors.js';
import type { Scenario } from '../scenario/schema.js';
import { parseAssignment, resolveKey } from '../scenario/overrides.js';

/** One varied field: a `--set` key (short key, dotted path, `timeline.N.…` or `<event id>.…`) and its values. */
export interface VaryAxis {
  key: string;
  values: Array<string | number | boolean | null>;
}

/** What a sweep runs. */
export interface SweepSpec {
  vary: VaryAxis[];
  methods: string[];
  seeds: number[];
  /** Video-missing rates, or null to keep the scenario's own. */
  missingRates: number[] | null;
  /** Compute updates the virtual clock already dooms (default false; results are the same). */
  computeDoomed?: boolean;
  /** Allow cells beyond the work and memory bounds (the CLI's --force); otherwise every cell is checked before any trains. */
  force?: boolean;
}

/** One cell of a sweep. */
export interface SweepCell {
  /** 1-based position in the sweep's order. */
  index: number;
  total: number;
  method: string;
  seed: number;
  missingRate: number | null;
  /** The varied fields' values of this cell, by key. */
  vary: Record<string, string | number | boolean | null>;
  /** `--set` assignments turning the base scenario into this cell's. */
  assignments: string[];
}

/** Fields one sweep cannot vary: every cell shares one dataset and one worker pool. */
const FIXED_PREFIXES = ['data.', 'model.'];

/** Parses `--vary key=v1,v2,…` text, naming the flag and value on error. */
export function parseVary(text: string, scenario: Scenario): VaryAxis {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new ConfigError('--vary', 'axis', text, 'PATH=v1,v2,… e.g. --vary dropout.target.rate=0,0.3,0.6');
  const key = text.slice(0, eq).trim();
  const raw = text.slice(eq + 1).split(',').map((v) => v.trim());
  if (raw.some((v) => v === '')) throw new ConfigError('--vary', key, text.slice(eq + 1), 'a comma-separated list without empty entries');
  const path = resolveKey(scenario, key, '--vary');
  if (path === null) throw new ConfigError('--vary', key, text.slice(eq + 1), 'a key --set accepts (a short key, a dotted path, timeline.N.… or <event id>.…)');
  if (FIXED_PREFIXES.some((p) => path.startsWith(p))) {
    throw new ConfigError('--vary', key, text.slice(eq + 1), 'a field outside data.* and model.* (one sweep shares one dataset and one worker pool; run one sweep per dataset or model)');
  }
  if (path === 'algorithm.name' || path === 'seed' || path === 'videoMissingRate') {
    throw new ConfigError('--vary', key, text.slice(eq + 1), 'a field other than the method, seed and missing rate (use --methods, --seeds, --missing)');
  }
  const values = raw.map((v) => parseAssignment(`${key}=${v}`)[1] as VaryAxis['values'][number]);
  const seen = new Set<string>();
  for (const v of raw) {
    if (seen.has(v)) throw new ConfigError('--vary', key, v, 'distinct values (a repeated value would be averaged as if independent)');
    seen.add(v);
  }
  return { key, values };
}

/** Every cell of `spec`, in order. */
export function sweepCells(spec: SweepSpec): SweepCell[] {
  let combos: Array<Record<string, SweepCell['vary'][string]>> = [{}];
  for (const axis of spec.vary) combos = combos.flatMap((c) => axis.values.map((v) => ({ ...c, [axis.key]: v })));
  const rates: Array<number | null> = spec.missingRates ?? [null];
  const cells: Omit<SweepCell, 'index' | 'total'>[] = [];
  for (const seed of spec.seeds) {
    for (const vary of combos) {
      for (const missingRate of rates) {
        for (const method of spec.methods) {
          const assignments = [
            ...Object.entries(vary).map(([k, v]) => `${k}=${v === null ? 'null' : String(v)}`),
            `algorithm.name=${method}`,
            `seed=${seed}`,
            ...(missingRate === null ? [] : [`videoMissingRate=${missingRate}`]),
          ];
          cells.push({ method, seed, missingRate, vary, assignments });
        }
      }
    }
  }
  return cells.map((c, i) => ({ ...c, index: i + 1, total: cells.length }));
}
