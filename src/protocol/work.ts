/**
 * Work an actor starts and the scheduler completes: described as plain data, not held as a promise,
 * so a queued event's pending work is part of the run state. A checkpointed run submits it again on
 * resume; tasks are pure, so the result is the same.
 */
import type { WeightMap } from '../core/weights.js';
import type { Misbehaviour } from './misbehave.js';
import type { TaskPlan } from './tasks.js';

/** The client facts a plan is bound to. */
export interface PlanBinding {
  seed: number;
  clientId: string;
  round: number;
  sampleIndices: number[];
  hasVideo: boolean;
  /** Modules the client holds locally (Harmony), overlaid on the plan's weights. */
  local: WeightMap | null;
  /** A scripted misbehaviour in force (scenario event `misbehave`): applied after honest training. */
  misbehave?: Misbehaviour | null;
}

/** Pending work of a queued event: a client's local training, or scoring the event's eval specs. */
export type PendingWork =
  | { kind: 'train'; plan: TaskPlan; binding: PlanBinding }
  | { kind: 'eval' };

/**
 * Whether an event carrying `work` may be deferred (see src/sim/scheduler.ts): scoring changes only
 * the evaluator's records, which no other actor reads and no later event depends on.
 */
export function isDeferrable(work: PendingWork): boolean {
  return work.kind === 'eval';
}
