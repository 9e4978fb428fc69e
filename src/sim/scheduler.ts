/**
 * The virtual-time scheduler: the only way a message reaches an actor. Events sit in one queue
 * ordered by (virtual time, sequence number given at enqueue). The loop pops one event, sets `now`,
 * resolves the event's pending work (a training promise) if it has one, records it in the trace,
 * delivers it and waits for the handler to finish before the next. Wall-clock completion order of
 * pending work never matters: an event is delivered at its virtual time, whatever finished first.
 */
import { InvariantError } from '../core/errors.js';
import type { Message } from '../protocol/messages.js';
import { EventQueue } from './event-queue.js';
import type { TraceRecord, TraceRecorder } from './trace.js';

/** A virtual time as the scheduler stores it: to the microsecond, so sums of delays stay exact. */
export function virtualTime(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** A queued event. `pending` is work whose outcome is merged into `msg` at delivery. */
export interface Envelope {
  atMs: number;
  seq: number;
  from: string;
  to: string;
  msg: Message;
  pending?: Promise<Partial<Message>>;
}

/** A handler crashed: carries the actor, the message and the last trace records. */
export class RunCrashError extends Error {
  constructor(
    readonly actor: string,
    readonly messageType: string,
    override readonly cause: unknown,
    readonly traceTail: readonly TraceRecord[],
  ) {
    const reason = cause instanceof Error ? (cause.stack ?? cause.message) : String(cause);
    const tail = traceTail.map((r) => `  #${r.seq} t=${r.atMs}ms ${r.from} -> ${r.to} ${r.type}`).join('\n');
    super(`actor "${actor}" crashed handling ${messageType}: ${reason}\nlast trace events:\n${tail}`);
    this.name = 'RunCrashError';
  }
}

/** Delivers one event to its actor and resolves when the handler is done. */
export type Deliver = (envelope: Envelope) => Promise<void>;

/** The virtual clock and event queue. */
export class Scheduler {
  private clockMs = 0;
  private nextSeq = 0;
  private stopped = false;
  private readonly queue = new EventQueue<Envelope>();

  constructor(private readonly trace: TraceRecorder) {}

  /** Current virtual time in milliseconds. */
  get now(): number {
    return this.clockMs;
  }

  /** Number of events still queued. */
  get pendingEvents(): number {
    return this.queue.size;
  }

  /** Enqueues `msg` for `to` at now + delayMs; `pending` is awaited and merged into the message at delivery. */
  send(from: string, to: string, msg: Message, delayMs = 0, pending?: Promise<Partial<Message>>): void {
    if (!(delayMs >= 0) || !Number.isFinite(delayMs)) {
      throw new InvariantError('message scheduled in the past or at an invalid time', { from, to, type: msg.type, delayMs });
    }
    // Settle the pending work into data now: a rejection is a value on the message (e.g. a crashed
    // worker), and Node must not see it as unhandled while the event waits in the queue.
    const settled = pending?.then(
      (value) => value,
      (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }) as Partial<Message>,
    );
    const atMs = virtualTime(this.clockMs + delayMs);
    this.queue.push({ atMs, seq: this.nextSeq++, from, to, msg, pending: settled });
  }

  /** Whether an event matching `predicate` is queued (lets the engine skip work the clock already dooms). */
  isQueued(predicate: (envelope: Envelope) => boolean): boolean {
    return this.queue.some(predicate);
  }

  /** Asks the loop to stop after the current event (the queue keeps what is left). */
  stop(): void {
    this.stopped = true;
  }

  /** Runs until the queue is empty or stop() is called. Resolves with the number of events delivered. */
  async run(deliver: Deliver): Promise<number> {
    let delivered = 0;
    while (!this.stopped) {
      const envelope = this.queue.pop();
      if (!envelope) break;
      if (envelope.atMs < this.clockMs) {
        throw new InvariantError('virtual time went back', { now: this.clockMs, event: envelope.atMs, type: envelope.msg.type });
      }
      this.clockMs = envelope.atMs;
      if (envelope.pending) {
        const patch = await envelope.pending;
        envelope.msg = { ...envelope.msg, ...patch } as Message;
        envelope.pending = undefined;
      }
      this.trace.record({ seq: envelope.seq, atMs: envelope.atMs, from: envelope.from, to: envelope.to, type: envelope.msg.type, msg: envelope.msg });
      try {
        await deliver(envelope);
      } catch (error) {
        if (error instanceof RunCrashError) throw error;
        throw new RunCrashError(envelope.to, envelope.msg.type, error, this.trace.lastRecords);
      }
      delivered++;
    }
    return delivered;
  }
}
