import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DropoutIndex } from '../../src/sim/dropout-index.js';
import type { QueuedEvent } from '../../src/sim/scheduler.js';

/** Timeline items: which clients each one drops out (or null: not a dropout). */
const items: Array<string[] | null> = [['a'], ['a', 'b'], null, ['c', 'b'], ['b']];
const targets = (e: QueuedEvent): string[] => (e.msg.type === 'world/fire' && !e.msg.rejoin ? items[e.msg.index] ?? [] : []);

/** The oracle as it was: a scan of every queued event. */
const scan = (queue: QueuedEvent[], clientId: string, atMs: number) =>
  queue.some((e) => e.msg.type === 'world/fire' && !e.msg.rejoin && e.atMs < atMs && (items[e.msg.index] ?? []).includes(clientId));

describe('the indexed doomed-work oracle', () => {
  it('answers as the scan of the queue did, through any sequence of enqueues and dequeues (property)', () => {
    const event = fc.record({
      atMs: fc.integer({ min: 0, max: 50 }),
      index: fc.integer({ min: 0, max: items.length - 1 }),
      rejoin: fc.boolean(),
      other: fc.boolean(),
    });
    const step = fc.oneof(fc.record({ push: event }), fc.record({ pop: fc.nat() }), fc.record({ ask: fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.integer({ min: 0, max: 60 })) }));
    fc.assert(fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
      const index = new DropoutIndex(targets);
      const queue: QueuedEvent[] = [];
      let seq = 0;
      for (const s of steps) {
        if ('push' in s) {
          const { atMs, index: i, rejoin, other } = s.push;
          const e: QueuedEvent = other
            ? { atMs, seq: seq++, from: 'x', to: 'y', msg: { type: 'run/start' } }
            : { atMs, seq: seq++, from: 'world', to: 'world', msg: { type: 'world/fire', index: i, ...(rejoin ? { rejoin: true } : {}) } };
          queue.push(e);
          index.queued(e);
        } else if ('pop' in s) {
          if (queue.length === 0) continue;
          const [e] = queue.splice(s.pop % queue.length, 1);
          index.dequeued(e);
        } else {
          const [id, at] = s.ask;
          expect(index.queuedBefore(id, at)).toBe(scan(queue, id, at));
        }
      }
      for (const id of ['a', 'b', 'c', 'd']) for (const at of [0, 25, 51]) expect(index.queuedBefore(id, at)).toBe(scan(queue, id, at));
    }));
  });
});
