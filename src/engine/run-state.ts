/**
 * The whole state of a run between two events, as plain data: the scheduler's clock and queue
 * (pending training described by its task), every actor's state, and the counters the engine
 * keeps. With the trace recorded so far it is a checkpoint: runSimulation can continue from it to
 * the same traceHash and weightsHash as a run that was never stopped. Random streams need no state:
 * each is derived from (seed, purpose, ids) when drawn.
 */
import type { SchedulerState } from '../sim/scheduler.js';
import type { TraceRecord } from '../sim/trace.js';

/**
 * Version of the RunState layout written now. 3: plan steps are generic local steps (`{ kind,
 * model, frozen?, params? }`; a distillation step used to carry `teacher` and `distill`). 4: the
 * scheduler's state may hold evaluations still running and the trace records behind them
 * (`scheduler.trailing`); a reader of version 3 would drop them, so the number changed.
 */
export const RUN_STATE_VERSION = 4;

/** Versions a resume reads: 3 is 4 without held evaluations. Any other is refused. */
export const READABLE_RUN_STATE_VERSIONS: readonly number[] = [3, 4];

/** A run's state between two events. */
export interface RunState {
  version: number;
  scheduler: SchedulerState;
  /** Each actor's state, by actor name. */
  actors: Record<string, unknown>;
  /** Events delivered so far: the trace's records and those held in `scheduler.trailing`. */
  events: number;
  /** Rounds closed so far (the server's round records). */
  roundsClosed: number;
  /** Closed rounds already checked for a run that cannot train. */
  checkedRounds: number;
  /** sha-256 of the trace so far, to check a restored trace against. */
  traceHash: string;
}

/** A state and the trace that led to it. */
export interface RunCheckpoint {
  state: RunState;
  trace: readonly TraceRecord[];
}

/** Where a run's checkpoints go. */
export interface CheckpointSink {
  /** A checkpoint after every `every` closed rounds (>= 1). */
  every: number;
  /**
   * Stores `state`; `newRecords` are the trace records since the previous save (all of them at the
   * first), so the sink can append them instead of rewriting the trace each time.
   */
  save(state: RunState, newRecords: readonly TraceRecord[]): void | Promise<void>;
}
