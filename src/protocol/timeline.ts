/**
 * Scenario timeline events resolved to concrete clients: rate targets are drawn before the run from
 * the scenario's own stream, phases are checked against the algorithm. When an event fires is still
 * symbolic (a round or a phase opens at a virtual time only the run itself reveals); the world actor
 * fires it then.
 */
import type { ClientEvent } from './messages.js';

/** When a resolved event fires. */
export type FireAt = { timeMs: number } | { round: number; offsetMs: number } | { phase: string; offsetMs: number };

/** One scripted change for a list of clients. */
export interface TimelineEvent {
  /** Position in the scenario's timeline (for the trace and error messages). */
  index: number;
  at: FireAt;
  clientIds: string[];
  event: ClientEvent;
  /** An event that ends by itself (a timed dropout or misbehaviour): after this many ms, or at the start of the round this many rounds later. */
  until?: { durationMs: number } | { durationRounds: number };
  /** What is sent when it ends (default: a rejoin). */
  end?: ClientEvent;
}
