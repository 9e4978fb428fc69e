/**
 * Every message the actors exchange. Types are namespaced (`round/start`, `train/done`, …) and every
 * payload is plain data, so the whole run state can be encoded and the trace can record it.
 */
import type { EvalResult, TrainResult } from './trainer.js';
import type { Misbehaviour } from './misbehave.js';
import type { EvalSpec, TaskPlan } from './tasks.js';

/** Server: begin the run (scheduled once at time 0). */
export interface RunStart { type: 'run/start' }
/** Server: open round `round`. */
export interface RoundStart { type: 'round/start'; round: number }
/** Server → client: train this plan on your data and reply. */
export interface TrainRequest { type: 'train/request'; round: number; phase: string; plan: TaskPlan; deadlineAtMs: number | null }
/** Client → itself: local training finished in virtual time (result or error filled in at delivery). */
export interface TrainDone { type: 'train/done'; round: number; result?: TrainResult; error?: string; skipped?: string }
/** Client → server: the update of a round. */
export interface TrainReply { type: 'train/reply'; round: number; clientId: string; result: TrainResult; startedAtMs: number }
/** Client → server: no update will come for this round, and why (recorded as data, never swallowed). */
export interface TrainFailed { type: 'train/failed'; round: number; clientId: string; reason: string; kind: 'dropped' | 'failed' | 'late' }
/** Server → itself: the round's deadline passed. */
export interface RoundDeadline { type: 'round/deadline'; round: number }
/** Server → itself: an asynchronous task's time is up (the buffered driver's per-task deadline). */
export interface TaskTimeout { type: 'task/timeout'; task: number }
/** Server → evaluator: score these models. */
export interface EvalRequest { type: 'eval/request'; round: number; phase: string; specs: EvalSpec[] }
/** Evaluator → itself: evaluation finished (results filled in at delivery). */
export interface EvalDone { type: 'eval/done'; round: number; phase: string; specs: EvalSpec[]; result?: EvalOutcome[]; error?: string }
/** Server → evaluator: no more rounds; report the final scores. */
export interface RunEnd { type: 'run/end'; round: number }
/** World → client: a scenario event changes the client's situation. */
export interface ClientEvent {
  type: 'client/dropout' | 'client/rejoin' | 'client/modality-loss' | 'client/modality-restore' | 'client/slowdown' | 'client/link' | 'client/misbehave';
  modality?: 'audio' | 'video';
  /** Compute slowdown factor (client/slowdown). */
  factor?: number;
  /** Extra one-way link delay in ms (client/link). */
  delayMs?: number;
  /** Probability that an upload is lost (client/link). */
  lossProbability?: number;
  /** How the client misbehaves from now on (client/misbehave); null: honest again. */
  misbehave?: Misbehaviour | null;
  reason: string;
}

/** Server → world: a round is about to open; fire what the timeline places here, then start it. */
export interface RoundOpening { type: 'round/opening'; round: number; phase: string; roundInPhase: number }
/** World → itself: fire timeline event `index` now. */
export interface WorldFire { type: 'world/fire'; index: number; rejoin?: boolean }

/** World → server: a client's modality changed (announced to the server, unlike a dropout). */
export interface ClientStatus { type: 'client/status'; clientId: string; modality: 'audio' | 'video'; available: boolean }

/** Results of one evaluation spec on the dev and test sets. */
export interface EvalOutcome { name: string; dev: EvalResult | null; test: EvalResult }

/** Any message. */
export type Message =
  | RunStart | RoundStart | TrainRequest | TrainDone | TrainReply | TrainFailed | RoundDeadline
  | EvalRequest | EvalDone | RunEnd | ClientEvent | ClientStatus | RoundOpening | WorldFire | TaskTimeout;
