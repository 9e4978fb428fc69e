/**
 * Scenario timeline events resolved to concrete deliveries: which client gets which world event at
 * which virtual time. Scenario-level forms (by round, by phase, by rate) are resolved before the run.
 */
import type { ClientEvent } from '../protocol/messages.js';

/** One world event for one client at a virtual time. */
export interface TimelineEvent {
  atMs: number;
  clientId: string;
  event: ClientEvent;
}
