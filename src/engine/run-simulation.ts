/**
 * The composition root of one run: builds the scheduler, trace and actors (server, one per client,
 * evaluator), seeds the initial weights, injects the timeline, runs the event loop to the end and
 * collects the results. The trainer is given (pool, inline or fake), so the same run can be
 * replayed with any of them; results never depend on which one or how many workers it has.
 */
import { hashValue } from '../core/codec.js';
import { seedKey } from '../core/seed-streams.js';
import { sortKeys, type WeightMap } from '../core/weights.js';
import { ActorSystem } from '../sim/actor-system.js';
import { Scheduler } from '../sim/scheduler.js';
import { TraceRecorder, type TraceRecord } from '../sim/trace.js';
import type { Trainer } from '../train/types.js';
import { clientBehaviour, type ClientState } from '../../actors/client.js';
import { evaluatorBehaviour, type EvaluatorState, type EvalRecord } from '../../actors/evaluator.js';
import { serverBehaviour, type ServerState } from '../../actors/server.js';
import { worldBehaviour, type WorldState } from '../../actors/world.js';
import type { RoundRecord } from '../../actors/round-record.js';
import { selectFinalScores, type FinalScore } from './final-scores.js';
import { noRoundSucceeded, sameReasonRunFailure, TrainingFailedError, type RunFailure } from './run-failure.js';
import type { RunConfig } from './run-config.js';

/** Actor names: fixed, so nact never invents one and traces are comparable. */
export const ACTORS = {
  server: 'server',
  evaluator: 'evaluator',
  world: 'world',
  client: (id: string) => `client-${id}`,
} as const;

/** Live notifications while a run progresses (for progress bars); never affect the run. */
export interface RunObserver {
  onEval?(record: EvalRecord, virtualMs: number): void;
  onTrace?(record: TraceRecord): void;
}

/** What a run produces. */
export interface RunResult {
  traceHash: string;
  weightsHash: string;
  events: number;
  virtualTimeMs: number;
  rounds: RoundRecord[];
  evals: EvalRecord[];
  final: Record<string, FinalScore>;
  /** The method's reported audio-only score (its headline model over its headline phases). */
  headline: FinalScore | null;
  finalWeights: Record<string, WeightMap>;
  trace: readonly TraceRecord[];
  backend: string;
  /** False when the run could not train (see run-failure.ts); `failure` then says why. */
  complete: boolean;
  failure: RunFailure | null;
}

/** Options of runSimulation. */
export interface RunOptions {
  /** Keep every trace record in memory (default true; the hash is computed either way). */
  retainTrace?: boolean;
  observer?: RunObserver;
  /**
   * What to do with a run that could not train: 'throw' (default) a TrainingFailedError carrying the
   * partial result, or 'return' it with `complete: false` and `failure` set (protocol studies).
   */
  onUntrained?: 'throw' | 'return';
}

/** Runs one simulation to completion. */
export async function runSimulation(config: RunConfig, trainer: Trainer, options: RunOptions = {}): Promise<RunResult> {
  const trace = new TraceRecorder({ retain: options.retainTrace ?? true, onRecord: options.observer?.onTrace });
  const scheduler = new Scheduler(trace);
  const system = new ActorSystem(scheduler);
  const { split, store } = config.dataset;
  // The client's oracle for doomed work: is a dropout of this client already queued strictly before
  // `atMs`? (One at the same instant may be delivered after the completion, so it dooms nothing.)
  const dropoutQueuedBefore = (clientId: string, atMs: number): boolean =>
    scheduler.isQueued((e) => {
      if (e.msg.type !== 'world/fire' || e.msg.rejoin || e.atMs >= atMs) return false;
      const item = config.timeline[e.msg.index];
      return item.event.type === 'client/dropout' && item.clientIds.includes(clientId);
    });
  try {
    const initial = await trainer.initWeights([...config.strategy.models], seedKey(config.seed, 'init'));
    const strategyState = config.strategy.init(initial, config.settings);

    const clients: ServerState['clients'] = {};
    for (const client of split.clients) {
      clients[client.id] = { id: client.id, numSamples: client.train.length, hasAudio: client.hasAudio, hasVideo: client.hasVideo };
      const initialState: ClientState = { id: client.id, online: true, hasAudio: client.hasAudio, hasVideo: client.hasVideo, slowdown: 1, linkDelayMs: 0, linkLossProbability: 0, local: null, inFlight: null };
      system.spawn(
        ACTORS.client(client.id),
        clientBehaviour({ seed: config.seed, server: ACTORS.server, trainer, cost: config.cost, sampleIndices: client.train, dropoutQueuedBefore, computeDoomed: config.computeDoomed }),
        initialState,
      );
    }
    system.spawn<ServerState>(
      ACTORS.server,
      serverBehaviour({ strategy: config.strategy, settings: config.settings, rules: config.rules, evaluator: ACTORS.evaluator, world: ACTORS.world, clientActor: ACTORS.client }),
      { strategy: strategyState, clients, round: 0, open: null, rounds: [], finished: false },
    );
    const evaluate = evaluatorBehaviour({ trainer, dev: split.dev, test: split.test, numClasses: store.numClasses, batchSize: config.evalBatchSize });
    system.spawn<EvaluatorState>(
      ACTORS.evaluator,
      async (state, msg, io) => {
        const next = await evaluate(state, msg, io);
        if (msg.type === 'eval/done' && next.records.length > state.records.length) options.observer?.onEval?.(next.records[next.records.length - 1], io.now);
        return next;
      },
      { records: [], ended: false },
    );

    system.spawn<WorldState>(ACTORS.world, worldBehaviour({ timeline: config.timeline, server: ACTORS.server, clientActor: ACTORS.client }), { round: 0, rejoins: [] });
    config.timeline.forEach((item, index) => {
      if ('timeMs' in item.at) scheduler.send(ACTORS.world, ACTORS.world, { type: 'world/fire', index }, item.at.timeMs);
    });
    scheduler.send(ACTORS.world, ACTORS.server, { type: 'run/start' });
    // After each event the server handles, a newly closed round whose tasks all failed alike stops
    // the run: every later round would fail the same way.
    let checkedRounds = 0;
    let failure: RunFailure | null = null;
    const events = await scheduler.run(async (envelope) => {
      await system.deliver(envelope);
      if (envelope.to !== ACTORS.server || failure) return;
      const { rounds } = system.stateOf<ServerState>(ACTORS.server);
      for (; checkedRounds < rounds.length && !failure; checkedRounds++) failure = sameReasonRunFailure(rounds[checkedRounds], config.strategy.name, config.seed);
      if (failure) scheduler.stop();
    });

    const server = system.stateOf<ServerState>(ACTORS.server);
    const evaluator = system.stateOf<EvaluatorState>(ACTORS.evaluator);
    const finalSpecs = config.strategy.evaluate(server.strategy as never);
    const finalWeights = Object.fromEntries(finalSpecs.map((spec) => [spec.name, sortKeys(spec.weights)]));
    failure ??= noRoundSucceeded(server.rounds, config.strategy.phases, config.strategy.name, config.seed);
    const result: RunResult = {
      traceHash: trace.digest(),
      weightsHash: hashValue(finalWeights),
      events,
      virtualTimeMs: scheduler.now,
      rounds: server.rounds,
      evals: evaluator.records,
      final: selectFinalScores(evaluator.records),
      headline: headlineScore(config, evaluator.records),
      finalWeights,
      trace: trace.records,
      backend: trainer.backend,
      complete: failure === null,
      failure,
    };
    if (failure && (options.onUntrained ?? 'throw') === 'throw') throw new TrainingFailedError(failure, result);
    return result;
  } finally {
    system.shutdown();
  }
}

/** The headline model's score over the strategy's headline phases (all phases if those never ran). */
function headlineScore(config: RunConfig, records: EvalRecord[]): FinalScore | null {
  const { headline, headlinePhases } = config.strategy;
  return selectFinalScores(records, headlinePhases)[headline] ?? selectFinalScores(records)[headline] ?? null;
}
