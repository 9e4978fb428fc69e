/**
 * When a run cannot train. Isolated failures (a dropped client, one crashed task among several, a
 * round short of replies) are data in the round records. Two patterns are not: every training task
 * of a round failing with one and the same reason (a kernel missing on the backend, a broken model:
 * the next round would fail the same way, so the run stops there), and a phase in which no round
 * succeeded (its scores would be those of the weights it started from). Either makes the run
 * incomplete: runSimulation throws a TrainingFailedError that carries the failure and the partial
 * result, so nothing computed is lost and nothing untrained is reported as a score.
 */
import type { RoundRecord } from '../../actors/round-record.js';
import type { RunResult } from './run-simulation.js';

/** Why a run is incomplete. */
export interface RunFailure {
  /** 'same-reason': every task of one round failed alike; 'no-round-succeeded': a phase (or the run) never aggregated. */
  kind: 'same-reason' | 'no-round-succeeded';
  method: string;
  seed: number;
  /** The round the failure is reported at (the failed round, or the first failed round of the phase). */
  round: number | null;
  phase: string | null;
  /** The underlying reason, as the round records have it (e.g. `training failed: Kernel '…' not registered …`). */
  reason: string;
  /** One line saying all of the above. */
  message: string;
}

/** A run that could not train (exit code 1 in the CLI). `result` is what the run produced before it stopped. */
export class TrainingFailedError extends Error {
  /** Exit code the CLI uses for this error. */
  readonly exitCode = 1;
  constructor(
    readonly failure: RunFailure,
    readonly result: RunResult,
    message: string = failure.message,
  ) {
    super(message);
    this.name = 'TrainingFailedError';
  }
}

/**
 * The shared reason when every selected client of a closed round failed its training task alike,
 * or null. It takes at least two failed tasks: one task failing on its own is an isolated failure
 * (if it happens every round, the run still ends incomplete: no round succeeded).
 */
export function sameReasonFailure(record: RoundRecord): { reason: string; tasks: number } | null {
  if (record.status !== 'failed' || record.succeeded.length > 0 || record.failed.length < 2) return null;
  if (record.failed.length !== record.selected.length) return null;
  const reason = record.failed[0].reason;
  return record.failed.every((o) => o.reason === reason) ? { reason, tasks: record.failed.length } : null;
}

/** The failure for a round whose tasks all failed alike (see sameReasonFailure). */
export function sameReasonRunFailure(record: RoundRecord, method: string, seed: number): RunFailure | null {
  const same = sameReasonFailure(record);
  if (!same) return null;
  return {
    kind: 'same-reason',
    method,
    seed,
    round: record.round,
    phase: record.phase,
    reason: same.reason,
    message: `run cannot train: all ${same.tasks} training tasks of round ${record.round} (phase ${record.phase}, method ${method}, seed ${seed}) failed with the same reason: ${same.reason}; the run stopped after that round`,
  };
}

/** The most frequent client-level reason over some rounds (failed first, then dropped, then late), with its count. */
function commonReason(rounds: readonly RoundRecord[]): { reason: string; count: number } | null {
  const counts = new Map<string, number>();
  for (const list of ['failed', 'dropped', 'late'] as const) {
    for (const r of rounds) for (const o of r[list]) counts.set(o.reason, (counts.get(o.reason) ?? 0) + 1);
    if (counts.size > 0) break;
  }
  let best: { reason: string; count: number } | null = null;
  for (const [reason, count] of counts) if (!best || count > best.count) best = { reason, count };
  return best;
}

/** The failure of a finished run with a phase in which no round succeeded, or null. */
export function noRoundSucceeded(rounds: readonly RoundRecord[], phases: readonly string[], method: string, seed: number): RunFailure | null {
  if (rounds.length === 0) return null;
  const whole = rounds.every((r) => r.status !== 'ok');
  for (const phase of whole ? [null] : phases) {
    const inPhase = rounds.filter((r) => phase === null || r.phase === phase);
    if (inPhase.length === 0 || inPhase.some((r) => r.status === 'ok')) continue;
    const first = inPhase[0];
    const common = commonReason(inPhase);
    const reason = common ? common.reason : (first.reason ?? 'no accepted replies');
    const scope = phase === null ? `no round of the run succeeded (${inPhase.length} of ${inPhase.length} failed)` : `no round of phase ${phase} succeeded (${inPhase.length} of ${inPhase.length} failed)`;
    const why = common ? `most common reason: ${common.reason} (${common.count} clients); ` : '';
    return {
      kind: 'no-round-succeeded',
      method,
      seed,
      round: first.round,
      phase: first.phase,
      reason,
      message: `run cannot train: ${scope}, method ${method}, seed ${seed}; ${why}round ${first.round}: ${first.reason ?? 'failed'}`,
    };
  }
  return null;
}
