import { describe, expect, it } from 'vitest';
import { hashValue } from '../../src/core/codec.js';
import type { TimelineEvent } from '../../src/protocol/timeline.js';
import { LISTED_CLIENTS_MAX, recordedTimeline } from '../../src/report/timeline-summary.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `c${String(i).padStart(7, '0')}`);
const event = (clientIds: string[], index = 0): TimelineEvent => ({ index, at: { round: 2, offsetMs: 0 }, clientIds, event: { type: 'client/dropout', reason: 'scripted' } as TimelineEvent['event'] });

describe('the timeline in summary.json', () => {
  it('keeps short client lists as they are', () => {
    const short = event(ids(LISTED_CLIENTS_MAX));
    expect(recordedTimeline([short])).toEqual([short]);
  });

  it('records a long list as its count, first ten ids and the hash of the whole list; the rest of the event unchanged', () => {
    const list = ids(250_000);
    const [recorded] = recordedTimeline([event(list, 3)]);
    expect(recorded).toEqual({
      index: 3,
      at: { round: 2, offsetMs: 0 },
      event: { type: 'client/dropout', reason: 'scripted' },
      clients: { count: 250_000, first: list.slice(0, 10), hash: hashValue(list) },
    });
    expect('clientIds' in recorded).toBe(false);
    expect(JSON.stringify(recorded).length).toBeLessThan(600);
    // Another list of the same length hashes differently.
    const other = [...list.slice(0, -1), 'x'];
    expect((recordedTimeline([event(other)])[0] as { clients: { hash: string } }).clients.hash).not.toBe(hashValue(list));
  });
});
