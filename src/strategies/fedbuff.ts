/**
 * FedBuff (Nguyen et al., AISTATS 2022): asynchronous buffered aggregation of the audio-only model.
 * Clients train continuously on the model version they last received (the ordinary supervised audio
 * step, as UniFL); the server keeps at most C clients training at once, buffers arriving updates and
 * applies a server step after every K of them:
 *
 *   global ← global + η · Σᵢ wᵢ · (localᵢ − baseᵢ),   wᵢ = s(τᵢ) · nᵢ / Σⱼ nⱼ,   s(τ) = (1 + τ)^(−a)
 *
 * where baseᵢ is the version client i started from, τᵢ its staleness (server steps applied since it
 * was dispatched), nᵢ its sample count and a the staleness exponent (a = 0: constant weighting; the
 * paper's choice is a = 0.5, 1/√(1+τ)). With every τ = 0 and η = 1 a step equals FedAvg of the K
 * models. Weights are not renormalised: a stale buffer moves the model less, as in the paper, which
 * divides by K rather than by Σ s(τ). The virtual-time mechanics (slots, arrivals, timeouts) are the
 * buffered driver's (actors/buffered-driver.ts); this file is the server's arithmetic and rules.
 *
 * Parameters (algorithm.params; validated by `paramRules` below through params.ts, then fedbuffConfig):
 * - `concurrency` C: clients training at once; 0 (default) = rounds.clientsPerRound of the population.
 * - `bufferSize` K: updates per server step; 0 (default) = ⌈C / 2⌉.
 * - `stalenessExponent` a >= 0 (default 0.5); 0 is the constant staleness function.
 * - `globalLr` η > 0 (default 1).
 * - `evalEvery` N: score the model after every N-th server step (default 1) and after the last.
 * The server-step budget is algorithm.rounds. rounds.deadlineMs, when set, is applied as a per-task
 * timeout (an update not back that long after its dispatch is discarded as late and its slot refilled);
 * rounds.overSelection, minReplies, fractionOf 'eligible', server.optimizer 'fedopt' and a robust
 * aggregator have no meaning here and are refused.
 */
import { ConfigError } from '../core/errors.js';
import { sortKeys, type WeightMap } from '../core/weights.js';
import type { RoundRules } from '../protocol/round-rules.js';
import { advanceRound, type PhaseState, type Strategy, type StrategySettings, type UpdateReply } from './strategy.js';
import { unifl, type UniFLState } from './unifl.js';

/** FedBuff state: the global audio model (UniFL's state). */
export type FedBuffState = UniFLState;

/** One buffered update as a server step sees it. */
export interface BufferedUpdate {
  reply: UpdateReply;
  /** Server steps applied between the client's dispatch and this step. */
  staleness: number;
  /** The global weights the client started from. */
  base: WeightMap;
}

/** A strategy the buffered driver can run: a server step over buffered, possibly stale updates. */
export interface BufferedStrategy<S extends PhaseState = PhaseState> extends Strategy<S> {
  /** The state after one server step over `updates` (sorted by client id, then task) and each update's weight, in that order. */
  applyBuffer(state: S, updates: BufferedUpdate[], settings: StrategySettings): { state: S; weights: number[] };
}

/** FedBuff's resolved parameters. */
export interface FedBuffConfig {
  concurrency: number;
  bufferSize: number;
  stalenessExponent: number;
  globalLr: number;
  evalEvery: number;
}

/** s(τ) = (1 + τ)^(−a): the weight factor of an update `staleness` server steps old. */
export function stalenessWeight(staleness: number, exponent: number): number {
  return Math.pow(1 + staleness, -exponent);
}

/**
 * FedBuff's parameters with their defaults resolved against the round rules and the population;
 * throws a ConfigError (naming `source`, the field and the value) for a value or a setting it cannot apply.
 */
export function fedbuffConfig(params: Record<string, number>, rules: RoundRules, settings: Pick<StrategySettings, 'server' | 'aggregator'>, population: number, source: string): FedBuffConfig {
  const p = { ...fedbuff.defaults, ...params };
  const refuse = (field: string, value: unknown, allowed: string): never => {
    throw new ConfigError(source, field, value, allowed);
  };
  if (rules.overSelection !== 1) refuse('rounds.overSelection', rules.overSelection, '1 for fedbuff (it has no rounds to over-select; algorithm.params.concurrency sets how many clients train at once)');
  if (rules.minReplies !== 1) refuse('rounds.minReplies', rules.minReplies, '1 for fedbuff (a server step waits for algorithm.params.bufferSize updates)');
  if (rules.fractionOf !== 'population') refuse('rounds.fractionOf', rules.fractionOf, "'population' for fedbuff (its concurrency is fixed for the run)");
  if (settings.server && settings.server.kind !== 'fedavg') refuse('server.optimizer', settings.server.kind, "'fedavg' for fedbuff (its server step has its own learning rate, algorithm.params.globalLr)");
  if (settings.aggregator && (settings.aggregator.name ?? 'fedavg') !== 'fedavg') refuse('server.aggregator.name', settings.aggregator.name, "'fedavg' for fedbuff (a robust rule over stale, staleness-weighted deltas is not defined here)");
  const int = (name: string, min: number) => {
    const v = p[name];
    if (!Number.isInteger(v) || v < min) refuse(`algorithm.params.${name}`, v, `an integer >= ${min}`);
    return v;
  };
  let concurrency = int('concurrency', 0);
  if (concurrency > population) refuse('algorithm.params.concurrency', concurrency, `at most the population (${population} clients)`);
  if (concurrency === 0) {
    const k = rules.clientsPerRound <= 1 ? Math.round(rules.clientsPerRound * population) : rules.clientsPerRound;
    concurrency = Math.max(1, Math.min(population, k));
  }
  let bufferSize = int('bufferSize', 0);
  if (bufferSize === 0) bufferSize = Math.ceil(concurrency / 2);
  const stalenessExponent = p.stalenessExponent;
  if (!(stalenessExponent >= 0 && Number.isFinite(stalenessExponent))) refuse('algorithm.params.stalenessExponent', stalenessExponent, 'a number >= 0 (0 = constant weighting)');
  const globalLr = p.globalLr;
  if (!(globalLr > 0 && Number.isFinite(globalLr))) refuse('algorithm.params.globalLr', globalLr, 'a number > 0');
  const evalEvery = int('evalEvery', 1);
  return { concurrency, bufferSize, stalenessExponent, globalLr, evalEvery };
}

/** The staleness weights of `updates`: s(τᵢ) · nᵢ / Σⱼ nⱼ. */
export function bufferWeights(updates: readonly BufferedUpdate[], exponent: number): number[] {
  const samples = updates.reduce((s, u) => s + u.reply.numSamples, 0);
  return updates.map((u) => (samples > 0 ? (stalenessWeight(u.staleness, exponent) * u.reply.numSamples) / samples : 0));
}

/**
 * global + η · Σ wᵢ (localᵢ − baseᵢ), summed in the updates' order in float64; a key an update does
 * not carry contributes nothing. Keys of `global` no update touches keep their array.
 */
export function applyDeltas(global: WeightMap, updates: readonly BufferedUpdate[], weights: readonly number[], lr: number): WeightMap {
  const out: WeightMap = { ...global };
  for (const key of Object.keys(global)) {
    const g = global[key];
    let acc: Float64Array | null = null;
    updates.forEach((u, i) => {
      const local = u.reply.weights[key];
      if (!local) return;
      const base = u.base[key] ?? g;
      acc ??= new Float64Array(g.length);
      for (let j = 0; j < g.length; j++) acc[j] += weights[i] * (local[j] - base[j]);
    });
    if (acc === null) continue;
    const sum: Float64Array = acc;
    out[key] = Float32Array.from(g, (v, j) => v + lr * sum[j]);
  }
  return sortKeys(out);
}

/** The FedBuff strategy (runs under the buffered driver). */
export const fedbuff: BufferedStrategy<FedBuffState> = {
  name: 'fedbuff',
  phases: ['fedbuff'],
  models: ['audio'],
  headline: 'audio',
  driver: 'buffered',
  defaults: { concurrency: 0, bufferSize: 0, stalenessExponent: 0.5, globalLr: 1, evalEvery: 1 },
  paramRules: {
    concurrency: { allowed: "FedBuff's clients training at once, an integer >= 0 (0 = rounds.clientsPerRound)", ok: (v) => Number.isInteger(v) && v >= 0 },
    bufferSize: { allowed: "FedBuff's updates per server step K, an integer >= 0 (0 = half the concurrency, rounded up)", ok: (v) => Number.isInteger(v) && v >= 0 },
    stalenessExponent: { allowed: "FedBuff's staleness exponent a in 1/(1+s)^a, >= 0 (0 = constant weighting)", ok: (v) => v >= 0 },
    globalLr: { allowed: "FedBuff's server learning rate, > 0", ok: (v) => v > 0 },
    evalEvery: { allowed: 'FedBuff: evaluate after every N-th server step, an integer >= 1', ok: (v) => Number.isInteger(v) && v >= 1 },
  },
  // Clients train as UniFL's: the supervised audio step from the model version they were sent.
  init: unifl.init,
  eligible: unifl.eligible,
  plan: unifl.plan,
  applyBuffer: (state, updates, settings) => {
    const p = { ...fedbuff.defaults, ...settings.params };
    const weights = bufferWeights(updates, p.stalenessExponent);
    const global = updates.length > 0 ? applyDeltas(state.global, updates, weights, p.globalLr) : state.global;
    return { state: { ...advanceRound(state, settings), global }, weights };
  },
  // The synchronous contract: replies that all started from the current model (staleness 0).
  aggregate: (state, replies, _round, settings) => fedbuff.applyBuffer(state, replies.map((reply) => ({ reply, staleness: 0, base: state.global })), settings).state,
  evaluate: unifl.evaluate,
};
