/**
 * A resolved timeline as summary.json records it. An event's client list stays readable when it is
 * short; a long one (a rate-targeted event over a large population resolves to a list as long as
 * the population times the rate) is recorded as its count, its first ids and the hash of the whole
 * list, so a summary stays small while two runs' lists can still be compared.
 */
import { hashValue } from '../core/codec.js';
import type { TimelineEvent } from '../protocol/timeline.js';

/** Lists longer than this are recorded compactly. */
export const LISTED_CLIENTS_MAX = 100;

/** How many ids of a compact list are shown. */
const SHOWN = 10;

/** A long client list as recorded: count, first ids, hash of the whole list (hashValue of the id array). */
export interface CompactClients {
  count: number;
  first: string[];
  hash: string;
}

/** A timeline event as recorded: `clientIds` when short, `clients` (compact) when long. */
export type RecordedTimelineEvent = Omit<TimelineEvent, 'clientIds'> & ({ clientIds: string[] } | { clients: CompactClients });

/** The timeline with each client list longer than `max` made compact. */
export function recordedTimeline(timeline: readonly TimelineEvent[], max = LISTED_CLIENTS_MAX): RecordedTimelineEvent[] {
  return timeline.map((item) => {
    if (item.clientIds.length <= max) return item;
    const { clientIds, ...rest } = item;
    return { ...rest, clients: { count: clientIds.length, first: clientIds.slice(0, SHOWN), hash: hashValue(clientIds) } };
  });
}
