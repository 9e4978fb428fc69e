/**
 * The scheduler's priority queue: a binary min-heap ordered by (virtual time, sequence number).
 * The sequence number is given at enqueue, so events at the same instant keep their enqueue order
 * and the order never depends on anything but the run's own history.
 */

/** Anything the queue can order. */
export interface Ordered {
  atMs: number;
  seq: number;
}

function before(a: Ordered, b: Ordered): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
}

/** Min-heap of events by (atMs, seq). */
export class EventQueue<E extends Ordered> {
  private heap: E[] = [];

  /** Number of queued events. */
  get size(): number {
    return this.heap.length;
  }

  /** Adds an event. */
  push(event: E): void {
    const heap = this.heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  /** Removes and returns the earliest event, or undefined when empty. */
  pop(): E | undefined {
    const heap = this.heap;
    if (heap.length === 0) return undefined;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l], heap[m])) m = l;
        if (r < heap.length && before(heap[r], heap[m])) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
    return top;
  }

  /** Every queued event, in heap (not delivery) order. */
  items(): E[] {
    return [...this.heap];
  }

  /** Whether any queued event satisfies `predicate` (order-free scan). */
  some(predicate: (event: E) => boolean): boolean {
    return this.heap.some(predicate);
  }
}
