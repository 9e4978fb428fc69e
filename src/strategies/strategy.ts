/**
 * The strategy contract, after Flower: paired hooks that decide who trains what (`plan`) and how
 * replies become the new global state (`aggregate`). State is a plain value; phases are states.
 * A new algorithm is one file implementing this — its server half (these hooks) and its client
 * half (`objectives`: the local losses its plans name, see ../protocol/local-step.ts) — plus one
 * line in the registry. README "Adding an algorithm" walks through FedProx's file.
 */
import type { WeightMap } from '../core/weights.js';
import { aggregate, type AggregationNote, type AggregatorSpec, type UpdateReply } from './aggregators/index.js';
import { serverStep, type ServerOptimizer } from './server-optimizer.js';
import type { Objective, ParamRule } from '../protocol/local-step.js';
import type { EvalSpec, TaskPlan } from '../protocol/tasks.js';
import type { ModelKind } from '../model/model-config.js';
import type { TrainHyper } from '../protocol/trainer.js';

// UpdateReply lives with the aggregators (which strategies import); strategies' users name it here.
export type { UpdateReply } from './aggregators/index.js';

/** What the server knows of a client when it plans a round. */
export interface ClientView {
  id: string;
  numSamples: number;
  hasAudio: boolean;
  hasVideo: boolean;
}

/** Settings every strategy receives: the run's seed, local training settings and its own parameters. */
export interface StrategySettings {
  seed: number;
  hyper: TrainHyper;
  /** Rounds per phase, in phase order. */
  rounds: number[];
  /** Method-specific numbers (alpha, temperature, clusters, …). */
  params: Record<string, number>;
  /** The server's update rule after averaging (FedAvg unless set). */
  server?: ServerOptimizer;
  /** The aggregation rule every average goes through (FedAvg unless set; see ./aggregators). */
  aggregator?: AggregatorSpec;
}

/** Common part of every strategy state: which phase and round within it. */
export interface PhaseState {
  phaseIndex: number;
  roundInPhase: number;
  /** Server optimiser momentum per weight key (empty under FedAvg); restarts at each phase. */
  serverMomentum: WeightMap;
  /** Clients the last aggregation left out or down-weighted, with reasons (absent when none). */
  aggregationNotes?: AggregationNote[];
}

/** A federated algorithm. */
export interface Strategy<S extends PhaseState = PhaseState> {
  readonly name: string;
  /** Phase names in order, e.g. ['fedavg'] or ['modality-wise', 'distillation']. */
  readonly phases: readonly string[];
  /** Model kinds whose initial weights the run needs. */
  readonly models: readonly ModelKind[];
  /** Name of the eval spec that is this method's audio-only score. */
  readonly headline: string;
  /** Phases whose rounds count for the headline score (default: all), e.g. only the student's phase. */
  readonly headlinePhases?: readonly string[];
  /**
   * The server driver this method runs under (actors/drivers.ts): 'rounds' (the synchronous round
   * loop, the default) or a driver of its own, e.g. 'buffered' for asynchronous buffered aggregation.
   */
  readonly driver?: string;
  /** Parameter names and defaults this method reads from settings.params (documented in its file). */
  readonly defaults: Record<string, number>;
  /** What each parameter of `defaults` must be; a scenario or `--set` value is checked before any training. */
  readonly paramRules?: Readonly<Record<string, ParamRule>>;
  /**
   * The client half: local objectives this method's plan steps name by `kind` (beyond the shared
   * 'supervised' one, ./supervised-objective.ts). The registry collects them; workers find them by name.
   */
  readonly objectives?: readonly Objective[];
  init(initial: WeightMap, settings: StrategySettings): S;
  /**
   * Whether this client can take part in the current phase. It must depend only on the state and
   * the client's modalities (not its id or sample count): the server asks it once per modality
   * class and keeps an index of each class's clients (actors/eligible-clients.ts), so a round costs
   * O(k log n) whatever the population. Clients without training samples are never eligible.
   */
  eligible(state: S, client: ClientView): boolean;
  /** The client's work for this round. */
  plan(state: S, client: ClientView, round: number, settings: StrategySettings): TaskPlan;
  /** New state from the round's accepted replies (sorted by client id); also advances the round counter. */
  aggregate(state: S, replies: UpdateReply[], round: number, settings: StrategySettings): S;
  /** Models to score after a round. */
  evaluate(state: S): EvalSpec[];
}

/** The current phase's name, or null once every phase has run its rounds. */
export function currentPhase(strategy: Strategy, state: PhaseState): string | null {
  return state.phaseIndex < strategy.phases.length ? strategy.phases[state.phaseIndex] : null;
}

/** The starting (phase, round), skipping phases given zero rounds. */
export function firstPhase(settings: StrategySettings): PhaseState {
  return advanceRound({ phaseIndex: 0, roundInPhase: -1, serverMomentum: {} }, settings);
}

/** Advances (phase, round) by one round, moving to the next phase when this one's rounds are done. */
export function advanceRound<S extends PhaseState>(state: S, settings: StrategySettings): S {
  let phaseIndex = state.phaseIndex;
  let roundInPhase = state.roundInPhase + 1;
  while (phaseIndex < settings.rounds.length && roundInPhase >= settings.rounds[phaseIndex]) {
    phaseIndex++;
    roundInPhase = 0;
  }
  return { ...state, phaseIndex, roundInPhase, serverMomentum: phaseIndex === state.phaseIndex ? state.serverMomentum : {} };
}

/**
 * Aggregates the replies into `global` with the run's aggregation rule and applies the server
 * optimiser; returns the new weights, momentum and the aggregator's notes (undefined when none).
 */
export function aggregateGlobal(
  state: PhaseState,
  global: WeightMap,
  replies: UpdateReply[],
  settings: StrategySettings,
): { weights: WeightMap; serverMomentum: WeightMap; aggregationNotes: AggregationNote[] | undefined } {
  const averaged = aggregate(settings.aggregator, global, replies);
  const { weights, momentum } = serverStep(global, averaged.weights, state.serverMomentum, settings.server ?? { kind: 'fedavg' });
  return { weights, serverMomentum: momentum, aggregationNotes: averaged.notes.length > 0 ? averaged.notes : undefined };
}
