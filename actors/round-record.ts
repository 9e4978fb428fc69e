/**
 * Per-round accounting, kept as data: every selected client ends up in exactly one of succeeded,
 * dropped, late, failed or rejected (an update that failed validation), each with a reason; and
 * what the aggregator left out or down-weighted among the succeeded.
 */
import type { TrainReply } from '../src/protocol/messages.js';
import type { AggregationNote, UpdateReply } from '../src/strategies/aggregators/index.js';

/** A client that gave no accepted update, and why. */
export interface ClientOutcome {
  clientId: string;
  reason: string;
  atMs: number;
  /** The task's number, under a buffered driver (absent for rounds). */
  task?: number;
}

/** One update a buffered (asynchronous) server step applied: whose, how stale, with which weight. */
export interface BufferedContribution {
  clientId: string;
  /** The task's dispatch number (its `round` field on the wire). */
  task: number;
  /** The model version (server steps applied) the client started from. */
  version: number;
  /** Server steps applied between the dispatch and this step. */
  staleness: number;
  /** The weight the step gave this update (staleness factor × sample share). */
  weight: number;
  numSamples: number;
  arrivedAtMs: number;
}

/** The accounting of one round. */
export interface RoundRecord {
  round: number;
  phase: string;
  startedAtMs: number;
  closedAtMs: number | null;
  selected: string[];
  succeeded: string[];
  dropped: ClientOutcome[];
  late: ClientOutcome[];
  failed: ClientOutcome[];
  /** Updates that arrived but failed validation (keys, shapes, non-finite values, samples), never aggregated. */
  rejected: ClientOutcome[];
  /** Clients the aggregator excluded or down-weighted (robust rules), per module with the reason. */
  aggregation?: AggregationNote[];
  /** 'ok' when aggregated; 'failed' when fewer than the minimum replies came (the global model is kept). */
  status: 'open' | 'ok' | 'failed';
  reason?: string;
  /** Mean training loss of the accepted updates (sample weighted). */
  trainLoss: number | null;
  /** A buffered server step's applied updates (absent for rounds): in a step, `selected` lists one entry per task that ended in it. */
  contributions?: BufferedContribution[];
}

/** A new open round. */
export function openRoundRecord(round: number, phase: string, atMs: number, selected: string[]): RoundRecord {
  return { round, phase, startedAtMs: atMs, closedAtMs: null, selected, succeeded: [], dropped: [], late: [], failed: [], rejected: [], status: 'open', trainLoss: null };
}

/** Ids of selected clients that have not been accounted for yet. */
export function outstanding(record: RoundRecord): string[] {
  const done = new Set([
    ...record.succeeded,
    ...record.dropped.map((o) => o.clientId),
    ...record.late.map((o) => o.clientId),
    ...record.failed.map((o) => o.clientId),
    ...(record.rejected ?? []).map((o) => o.clientId),
  ]);
  return record.selected.filter((id) => !done.has(id));
}

/** Throws if the round's accounting does not add up (each selected client exactly once). */
export function checkAccounting(record: RoundRecord, seed: number): void {
  const all = [...record.succeeded, ...record.dropped.map((o) => o.clientId), ...record.late.map((o) => o.clientId), ...record.failed.map((o) => o.clientId), ...(record.rejected ?? []).map((o) => o.clientId)];
  const unique = new Set(all);
  if (unique.size !== all.length || unique.size !== record.selected.length || !record.selected.every((id) => unique.has(id))) {
    throw new Error(`round ${record.round} (seed ${seed}): accounting does not add up: selected ${record.selected.length}, accounted ${all.length} (${unique.size} distinct)`);
  }
}

/** A record's `trainLoss`: the sample-weighted mean loss of the accepted updates, null when none has samples. */
export function meanTrainLoss(replies: readonly UpdateReply[]): number | null {
  const samples = replies.reduce((s, r) => s + r.numSamples, 0);
  return samples > 0 ? replies.reduce((s, r) => s + r.meanLoss * r.numSamples, 0) / samples : null;
}

/** The update a client's reply carries, as the strategy aggregates it. */
export function updateReplyOf(msg: TrainReply): UpdateReply {
  return { clientId: msg.clientId, numSamples: msg.result.numSamples, weights: msg.result.weights, meanLoss: msg.result.meanLoss };
}
