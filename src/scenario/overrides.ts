/**
 * `--set key=value` overrides. Short keys name the usual hyper-parameters (lr, rounds, and every
 * registered method's parameters: alpha, mu, …);
 * dotted keys (`data.numClients`, `model.headHidden`, `population.latencyMs`, `timeline.0.at.round`)
 * reach any field, and a timeline event's `id` addresses that event (`dropout.target.rate` is
 * `timeline.<index of the event with id 'dropout'>.target.rate`). The result is validated again,
 * so a bad value fails with the flag named as its source.
 */
import { ConfigError } from '../core/errors.js';
import { parameterRules, validateParams } from '../strategies/params.js';
import { scenarioSchema, type Scenario } from './schema.js';
import { parseOrThrow } from './validate.js';

/** Short keys and the scenario paths they stand for. */
export const SHORT_KEYS: Record<string, string> = {
  epochs: 'training.epochs',
  batchSize: 'training.batchSize',
  lr: 'training.lr',
  momentum: 'training.momentum',
  weightDecay: 'training.weightDecay',
  clipNorm: 'training.clipNorm',
  clientsPerRound: 'rounds.clientsPerRound',
  fractionOf: 'rounds.fractionOf',
  overSelection: 'rounds.overSelection',
  deadlineMs: 'rounds.deadlineMs',
  minReplies: 'rounds.minReplies',
  rounds: 'algorithm.rounds',
  rounds1: 'algorithm.phaseRounds.0',
  rounds2: 'algorithm.phaseRounds.1',
  budget: 'algorithm.budget',
  // Every registered method's parameters (alpha, temperature, lr2, clusters, mu, …) are short keys too.
  ...Object.fromEntries([...parameterRules().keys()].map((name) => [name, `algorithm.params.${name}`])),
  serverOptimizer: 'server.optimizer',
  serverLr: 'server.lr',
  serverMomentum: 'server.momentum',
  aggregator: 'server.aggregator.name',
  aggregatorF: 'server.aggregator.f',
  trimBeta: 'server.aggregator.beta',
  clipTau: 'server.aggregator.tau',
  videoMissingRate: 'videoMissingRate',
  seed: 'seed',
  evalBatchSize: 'evalBatchSize',
};

const SECTIONS = ['data', 'model', 'population', 'training', 'rounds', 'algorithm', 'server', 'timeline'];
const PREFIXES = SECTIONS.map((s) => `${s}.`);

/**
 * Timeline event ids by index; refuses a duplicate id or one that shadows a section or short key
 * (`source` names where the scenario came from).
 */
export function timelineIds(scenario: Scenario, source: string): Map<string, number> {
  const ids = new Map<string, number>();
  scenario.timeline.forEach((event, index) => {
    if (event.id === undefined) return;
    const field = `timeline.${index}.id`;
    if (SECTIONS.includes(event.id) || event.id in SHORT_KEYS) {
      throw new ConfigError(source, field, event.id, `an id that is not a scenario section or short key (${[...SECTIONS, ...Object.keys(SHORT_KEYS)].join(', ')})`);
    }
    if (ids.has(event.id)) throw new ConfigError(source, field, event.id, `an id not already used by timeline.${ids.get(event.id)}`);
    ids.set(event.id, index);
  });
  return ids;
}

/** The scenario path a `--set` / `--vary` key stands for, or null when it names nothing. */
export function resolveKey(scenario: Scenario, key: string, source: string): string | null {
  if (SHORT_KEYS[key] !== undefined) return SHORT_KEYS[key];
  if (PREFIXES.some((p) => key.startsWith(p))) return key;
  const dot = key.indexOf('.');
  const index = dot > 0 ? timelineIds(scenario, source).get(key.slice(0, dot)) : undefined;
  return index === undefined ? null : `timeline.${index}${key.slice(dot)}`;
}

/** Parses `key=value` text; numbers, booleans and null are typed, anything else stays a string. */
export function parseAssignment(text: string): [string, unknown] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new ConfigError('--set', 'assignment', text, 'key=value, e.g. --set lr=0.01');
  const key = text.slice(0, eq).trim();
  const raw = text.slice(eq + 1).trim();
  const value = raw === 'null' ? null : raw === 'true' ? true : raw === 'false' ? false : raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  return [key, value];
}

/** Applies `key=value` assignments to a scenario and validates the result. */
export function applyOverrides(scenario: Scenario, assignments: readonly string[]): Scenario {
  let current: Scenario = scenario;
  timelineIds(current, '--set');
  for (const text of assignments) {
    const [key, value] = parseAssignment(text);
    const path = resolveKey(current, key, '--set');
    if (path === null) {
      const ids = [...timelineIds(current, '--set').keys()];
      const byId = ids.length > 0 ? `, or a timeline event id and field (${ids.map((id) => `${id}.…`).join(', ')})` : '';
      throw new ConfigError('--set', key, value, `unknown key; use one of ${Object.keys(SHORT_KEYS).join(', ')}, a dotted path under ${PREFIXES.join(', ')}${byId}`);
    }
    const copy = structuredClone(current) as Record<string, unknown>;
    setPath(copy, path.split('.'), value, current);
    current = parseOrThrow(scenarioSchema, copy, `--set ${text}`);
    validateParams(current.algorithm.params, `--set ${text}`);
  }
  return current;
}

function setPath(target: Record<string, unknown>, parts: string[], value: unknown, scenario: Scenario): void {
  let node: Record<string, unknown> = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i];
    if (node[part] === undefined || node[part] === null) {
      // phaseRounds starts as the rounds every phase would get, so rounds2=5 leaves phase 1 as it was.
      node[part] = part === 'phaseRounds' ? [scenario.algorithm.rounds, scenario.algorithm.rounds] : /^\d+$/.test(parts[i + 1]) ? [] : {};
    }
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]] = value;
}
