/**
 * Simplify and query a run's trace: filter events by type, sender, receiver, round or client, and
 * render them as short lines that suit inline snapshots (`t=120 server -> client-3 train/request r0`).
 */
import type { TraceRecord } from '../sim/trace.js';

/** A filterable, immutable view of trace records. */
export class TraceQuery {
  constructor(readonly records: readonly TraceRecord[]) {}

  private where(predicate: (r: TraceRecord) => boolean): TraceQuery {
    return new TraceQuery(this.records.filter(predicate));
  }

  /** Events of any of these types (`train/reply`, `client/dropout`, …). */
  ofType(...types: string[]): TraceQuery {
    return this.where((r) => types.includes(r.type));
  }

  /** Events delivered to this actor (`server`, `client-3`, `evaluator`, `world`). */
  to(actor: string): TraceQuery {
    return this.where((r) => r.to === actor);
  }

  /** Events sent by this actor. */
  from(actor: string): TraceQuery {
    return this.where((r) => r.from === actor);
  }

  /** Events that concern this client (sent to, sent by, or naming it). */
  client(id: string): TraceQuery {
    const actor = `client-${id}`;
    return this.where((r) => r.to === actor || r.from === actor || r.msg.clientId === id);
  }

  /** Events whose message is about this round. */
  round(round: number): TraceQuery {
    return this.where((r) => r.msg.round === round);
  }

  /** Events in the virtual-time window [fromMs, toMs]. */
  between(fromMs: number, toMs: number): TraceQuery {
    return this.where((r) => r.atMs >= fromMs && r.atMs <= toMs);
  }

  /** Number of events. */
  count(): number {
    return this.records.length;
  }

  /** First event, or undefined. */
  first(): TraceRecord | undefined {
    return this.records[0];
  }

  /** Last event, or undefined. */
  last(): TraceRecord | undefined {
    return this.records[this.records.length - 1];
  }

  /** Short readable lines, one per event. */
  lines(): string[] {
    return this.records.map(simplifyRecord);
  }
}

/** One event as a short line: time, route, type, then round, client and reason where present. */
export function simplifyRecord(r: TraceRecord): string {
  const parts = [`t=${r.atMs}`, `${r.from} -> ${r.to}`, r.type];
  if (typeof r.msg.round === 'number') parts.push(`r${r.msg.round}`);
  if (typeof r.msg.clientId === 'string' && r.to !== `client-${r.msg.clientId}` && r.from !== `client-${r.msg.clientId}`) parts.push(`client ${r.msg.clientId}`);
  if (typeof r.msg.kind === 'string' && r.type === 'train/failed') parts.push(r.msg.kind);
  if (typeof r.msg.reason === 'string') parts.push(`(${r.msg.reason})`);
  return parts.join(' ');
}
