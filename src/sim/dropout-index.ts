/**
 * The doomed-work oracle, indexed: for each client, the virtual times of the dropouts queued for
 * it. The scheduler tells it every event queued and taken off the queue; "is a dropout of this
 * client queued strictly before t?" is then a look-up of the client's few times, not a scan of the
 * whole queue for every training task.
 */
import type { QueuedEvent } from './scheduler.js';

/** Client ids a queued event drops out (empty when it is not a dropout). */
export type DropoutTargets = (event: QueuedEvent) => readonly string[];

/** Queued dropout times per client, kept in step with the scheduler's queue. */
export class DropoutIndex {
  private readonly times = new Map<string, number[]>();

  constructor(private readonly targets: DropoutTargets) {}

  /** An event entered the queue. */
  queued(event: QueuedEvent): void {
    for (const id of this.targets(event)) {
      const list = this.times.get(id);
      if (list) list.push(event.atMs);
      else this.times.set(id, [event.atMs]);
    }
  }

  /** An event left the queue. */
  dequeued(event: QueuedEvent): void {
    for (const id of this.targets(event)) {
      const list = this.times.get(id);
      const at = list ? list.indexOf(event.atMs) : -1;
      if (at < 0) continue;
      list!.splice(at, 1);
      if (list!.length === 0) this.times.delete(id);
    }
  }

  /** Whether a dropout of `clientId` is queued strictly before `atMs`. */
  queuedBefore(clientId: string, atMs: number): boolean {
    const list = this.times.get(clientId);
    return list !== undefined && list.some((t) => t < atMs);
  }
}
