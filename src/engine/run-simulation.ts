/**
 * The composition root of one run: builds the scheduler, trace and actors (server, evaluator,
 * world; client actors on first contact), seeds the initial weights, injects the timeline, runs the event loop to the end and
 * collects the results. The trainer is given (pool, inline or fake), so the same run can be
 * replayed with any of them; results never depend on which one or how many workers it has.
 *
 * Checkpoints: with a sink, the run state (see run-state.ts) is saved after every N closed rounds
 * and when the run is stopped through its abort signal; given a checkpoint, the run continues
 * from it, with the same result as a run that was never stopped.
 */
import { hashValue } from '../core/codec.js';
import { seedKey } from '../core/seed-streams.js';
import { sortKeys, type WeightMap } from '../core/weights.js';
import { DataError, InvariantError } from '../core/errors.js';
import { ActorSystem } from '../sim/actor-system.js';
import { heldRecords, RunCrashError, Scheduler } from '../sim/scheduler.js';
import { lazySamplesOf } from '../data/lazy-samples.js';
import { TraceRecorder, type TraceRecord } from '../sim/trace.js';
import type { Trainer } from '../protocol/trainer.js';
import { clientActorFactory, clientActorOf } from '../../actors/client-actors.js';
import type { ClientState } from '../../actors/client.js';
import { populationOf } from '../data/client-rows.js';
import { DropoutIndex } from '../sim/dropout-index.js';
import { evaluatorBehaviour, type EvaluatorState, type EvalRecord } from '../../actors/evaluator.js';
import { driverFor } from '../../actors/drivers.js';
import type { DriverState as ServerState } from '../../actors/server-driver.js';
import { worldBehaviour, type WorldState } from '../../actors/world.js';
import type { RoundRecord } from '../../actors/round-record.js';
import { selectFinalScores, type FinalScore } from './final-scores.js';
import { noRoundSucceeded, sameReasonRunFailure, TrainingFailedError, type RunFailure } from './run-failure.js';
import type { RunConfig } from './run-config.js';
import { checkWork } from './estimate-work.js';
import { createPerformer } from './perform-work.js';
import { READABLE_RUN_STATE_VERSIONS, RUN_STATE_VERSION, type CheckpointSink, type RunCheckpoint, type RunState } from './run-state.js';

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
  /** False when the run could not train (see run-failure.ts; `failure` says why) or was interrupted. */
  complete: boolean;
  failure: RunFailure | null;
  /** Why the run stopped early through its abort signal (e.g. `SIGINT`), or null. */
  interrupted: string | null;
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
  /** Where checkpoints go (none by default). */
  checkpoint?: CheckpointSink;
  /** Continue from this checkpoint (of the same config) instead of starting afresh. */
  resume?: RunCheckpoint;
  /**
   * Stops the run after the current event (or while it waits on pending work) when aborted: the
   * result is partial (`complete: false`, `interrupted` = the abort reason) and a checkpoint is saved.
   */
  signal?: AbortSignal;
  /** Run even when the work estimate exceeds its bound (see estimate-work.ts; never for the fake trainer). */
  force?: boolean;
  /**
   * Let evaluation overlap the next round's training (default true): scores never change the
   * simulation, so the scheduler does not wait on them (see src/sim/scheduler.ts). Same results
   * either way; false is for the test that shows it.
   */
  overlapEvaluation?: boolean;
}

/** Runs one simulation to completion (or to its abort signal), from the start or from a checkpoint. */
export async function runSimulation(config: RunConfig, trainer: Trainer, options: RunOptions = {}): Promise<RunResult> {
  if (options.force !== true && trainer.backend !== 'fake') checkWork(config, `scenario ${config.scenario}`);
  const sink = options.checkpoint;
  if (sink && !(Number.isInteger(sink.every) && sink.every >= 1)) throw new InvariantError('checkpoint interval must be an integer >= 1', { every: sink.every });
  // Records since the last checkpoint, for the sink to append.
  let unsaved: TraceRecord[] = [];
  const trace = new TraceRecorder({
    retain: options.retainTrace ?? true,
    onRecord: (record) => {
      if (sink) unsaved.push(record);
      options.observer?.onTrace?.(record);
    },
  });
  const { split, store } = config.dataset;
  // A lazily loaded store reads a client's features before its first task is posted (lazy-samples.ts).
  const lazy = lazySamplesOf(store);
  const performer = createPerformer(trainer, { dev: split.dev, test: split.test, batchSize: config.evalBatchSize }, lazy && ((indices) => lazy.ensure(indices)));
  const scheduler = new Scheduler(trace, performer, { defer: options.overlapEvaluation ?? true });
  const system = new ActorSystem(scheduler);
  // The client's oracle for doomed work: is a dropout of this client already queued strictly before
  // `atMs`? (One at the same instant may be delivered after the completion, so it dooms nothing.)
  const dropouts = new DropoutIndex((e) => {
    if (e.msg.type !== 'world/fire' || e.msg.rejoin) return [];
    const item = config.timeline[e.msg.index];
    return item.event.type === 'client/dropout' ? item.clientIds : [];
  });
  scheduler.watch(dropouts);
  const dropoutQueuedBefore = (clientId: string, atMs: number): boolean => dropouts.queuedBefore(clientId, atMs);
  const resume = options.resume?.state;
  if (resume && !READABLE_RUN_STATE_VERSIONS.includes(resume.version)) throw new InvariantError('checkpoint of another run-state version', { version: resume.version, expected: RUN_STATE_VERSION });
  /** The actor's state in the checkpoint, or `fresh` when starting afresh. */
  const stateOf = <S>(name: string, fresh: () => S): S => {
    if (!resume) return fresh();
    if (!(name in resume.actors)) throw new InvariantError('checkpoint has no state for an actor of this run', { actor: name });
    return resume.actors[name] as S;
  };
  try {
    const initial = resume ? {} : await trainer.initWeights([...config.strategy.models], seedKey(config.seed, 'init'));
    // Client actors exist only while they hold something (see actors/client-actors.ts): made from the
    // population's rows on first contact, so a round's cost follows the clients it contacts.
    const rows = populationOf(config.dataset);
    const clientDeps = { seed: config.seed, server: ACTORS.server, cost: config.cost, dropoutQueuedBefore, computeDoomed: config.computeDoomed };
    system.spawnOnDemand(clientActorFactory(rows, ACTORS.client(''), clientDeps));
    for (const [name, state] of Object.entries(resume?.actors ?? {})) {
      const rank = name.startsWith(ACTORS.client('')) ? rows.rankOf(name.slice(ACTORS.client('').length)) : -1;
      if (rank >= 0) system.spawnRetirable(name, clientActorOf(rows, rank, clientDeps), state as ClientState);
    }
    // The server is the algorithm's driver (the round loop unless its registration names another).
    const driver = driverFor(config.strategy);
    system.spawn<ServerState>(
      ACTORS.server,
      driver.behaviour({ strategy: config.strategy, settings: config.settings, rules: config.rules, evaluator: ACTORS.evaluator, world: ACTORS.world, clientActor: ACTORS.client, rows }),
      stateOf(ACTORS.server, () => driver.initialState(config.strategy.init(initial, config.settings))),
    );
    const evaluate = evaluatorBehaviour({ numClasses: store.numClasses });
    system.spawn<EvaluatorState>(
      ACTORS.evaluator,
      async (state, msg, io) => {
        const next = await evaluate(state, msg, io);
        if (msg.type === 'eval/done' && next.records.length > state.records.length) options.observer?.onEval?.(next.records[next.records.length - 1], io.now);
        return next;
      },
      stateOf(ACTORS.evaluator, () => ({ records: [], ended: false })),
    );
    system.spawn<WorldState>(ACTORS.world, worldBehaviour({ timeline: config.timeline, server: ACTORS.server, clientActor: ACTORS.client }), stateOf(ACTORS.world, () => ({ round: 0, rejoins: [] })));

    let eventsBefore = 0;
    let checkedRounds = 0;
    let savedRounds = 0;
    if (resume) {
      const hash = trace.restore(options.resume!.trace);
      // Records of events delivered after a still-running evaluation are held in the scheduler's state.
      const held = heldRecords(resume.scheduler);
      if (hash !== resume.traceHash || trace.size + held !== resume.events) {
        throw new InvariantError('checkpoint trace does not match its state', { records: trace.size, held, events: resume.events, hash, expected: resume.traceHash });
      }
      unsaved = [];
      scheduler.restore(resume.scheduler);
      eventsBefore = resume.events;
      checkedRounds = resume.checkedRounds;
      savedRounds = resume.roundsClosed;
    } else {
      config.timeline.forEach((item, index) => {
        if ('timeMs' in item.at) scheduler.send(ACTORS.world, ACTORS.world, { type: 'world/fire', index }, item.at.timeMs);
      });
      scheduler.send(ACTORS.world, ACTORS.server, { type: 'run/start' });
    }
    let delivered = 0;
    const save = async () => {
      const roundsClosed = system.stateOf<ServerState>(ACTORS.server).rounds.length;
      const state: RunState = { version: RUN_STATE_VERSION, scheduler: scheduler.snapshot(), actors: system.states(true), events: eventsBefore + delivered, roundsClosed, checkedRounds, traceHash: trace.digest() };
      const records = unsaved;
      unsaved = [];
      await sink!.save(state, records);
      savedRounds = roundsClosed;
    };
    const stop = () => scheduler.stop();
    if (options.signal?.aborted) stop();
    options.signal?.addEventListener('abort', stop);
    // After each event the server handles, a newly closed round whose tasks all failed alike stops
    // the run: every later round would fail the same way. Otherwise every `every` closed rounds,
    // the run state is saved.
    let failure: RunFailure | null = null;
    let saveError: { error: unknown } | null = null;
    try {
      await scheduler.run(async (envelope) => {
        await system.deliver(envelope);
        delivered++;
        if (envelope.to !== ACTORS.server || failure) return;
        const { rounds } = system.stateOf<ServerState>(ACTORS.server);
        for (; checkedRounds < rounds.length && !failure; checkedRounds++) failure = sameReasonRunFailure(rounds[checkedRounds], config.strategy.name, config.seed);
        if (failure) scheduler.stop();
        else if (sink && rounds.length >= savedRounds + sink.every && !system.stateOf<ServerState>(ACTORS.server).finished) {
          // Evaluations still running are saved as work, not waited for: the workers go on with the
          // next round's training (the scheduler's snapshot holds them and the records behind them).
          // A checkpoint that cannot be written (a full disk) stops the run with that error, not as an actor crash.
          try {
            await save();
          } catch (error) {
            saveError = { error };
            scheduler.stop();
          }
        }
      });
    } finally {
      options.signal?.removeEventListener('abort', stop);
    }
    const failedSave = saveError as { error: unknown } | null; // assigned in the callback above
    if (failedSave) throw failedSave.error;
    const interrupted = !failure && options.signal?.aborted === true ? abortReason(options.signal) : null;
    if (interrupted !== null && sink) await save();

    const server = system.stateOf<ServerState>(ACTORS.server);
    const evaluator = system.stateOf<EvaluatorState>(ACTORS.evaluator);
    const finalSpecs = config.strategy.evaluate(server.strategy as never);
    const finalWeights = Object.fromEntries(finalSpecs.map((spec) => [spec.name, sortKeys(spec.weights)]));
    if (interrupted === null) failure ??= noRoundSucceeded(server.rounds, config.strategy.phases, config.strategy.name, config.seed);
    const result: RunResult = {
      traceHash: trace.digest(),
      weightsHash: hashValue(finalWeights),
      events: eventsBefore + delivered,
      virtualTimeMs: scheduler.now,
      rounds: server.rounds,
      evals: evaluator.records,
      final: selectFinalScores(evaluator.records),
      headline: headlineScore(config, evaluator.records),
      finalWeights,
      trace: trace.records,
      backend: trainer.backend,
      complete: failure === null && interrupted === null,
      failure,
      interrupted,
    };
    if (failure && (options.onUntrained ?? 'throw') === 'throw') throw new TrainingFailedError(failure, result);
    return result;
  } catch (error) {
    // Bad data met by a lazy read (a client's file, on its first contact) is bad input, reported as
    // such (naming the file); the run stops there and its last checkpoint stays for a resume.
    throw error instanceof RunCrashError && error.cause instanceof DataError ? error.cause : error;
  } finally {
    system.shutdown();
  }
}

/** The abort reason as text (`SIGINT`, …). */
function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (typeof reason === 'string') return reason;
  return reason instanceof Error ? reason.message : 'aborted';
}

/** The headline model's score over the strategy's headline phases (all phases if those never ran). */
function headlineScore(config: RunConfig, records: EvalRecord[]): FinalScore | null {
  const { headline, headlinePhases } = config.strategy;
  return selectFinalScores(records, headlinePhases)[headline] ?? selectFinalScores(records)[headline] ?? null;
}
