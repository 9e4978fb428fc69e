/**
 * The virtual-time scheduler: the only way a message reaches an actor. Events sit in one queue
 * ordered by (virtual time, sequence number given at enqueue). The loop pops one event, sets `now`,
 * resolves the event's pending work (a training promise) if it has one, records it in the trace,
 * delivers it and waits for the handler to finish before the next. Wall-clock completion order of
 * pending work never matters: an event is delivered at its virtual time, whatever finished first.
 *
 * Pending work is described as data (`work`) and started through the run's `perform`; so the
 * scheduler's whole state — clock, next sequence number, every queued event with its work — is
 * plain data (`snapshot()`), and `restore()` rebuilds it, starting the work of each event again.
 */
import { InvariantError } from '../core/errors.js';
import type { Message } from '../protocol/messages.js';
import type { PendingWork } from '../protocol/work.js';
import { EventQueue } from './event-queue.js';
import type { TraceRecord, TraceRecorder } from './trace.js';

/** A virtual time as the scheduler stores it: to the microsecond, so sums of delays stay exact. */
export function virtualTime(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** A queued event as plain data: `work` is what its pending work is (started again on a restore). */
export interface QueuedEvent {
  atMs: number;
  seq: number;
  from: string;
  to: string;
  msg: Message;
  work?: PendingWork;
}

/** A queued event. `pending` is its work's outcome, merged into `msg` at delivery. */
export interface Envelope extends QueuedEvent {
  pending?: Promise<Partial<Message>>;
}

/** The scheduler's state between two events: plain data. */
export interface SchedulerState {
  clockMs: number;
  nextSeq: number;
  /** Queued events in delivery order. */
  events: QueuedEvent[];
}

/** Starts an event's pending work; resolves with the fields it adds to the event's message. */
export type Perform = (work: PendingWork, msg: Message) => Promise<Partial<Message>>;

const noPerformer: Perform = (work) => Promise.reject(new Error(`no performer for ${work.kind} work`));

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

/** Told of every event entering and leaving the queue (indexes such as the dropout oracle). */
export interface QueueWatcher {
  queued(event: QueuedEvent): void;
  dequeued(event: QueuedEvent): void;
}

/** The virtual clock and event queue. */
export class Scheduler {
  private clockMs = 0;
  private nextSeq = 0;
  private stopped = false;
  private readonly queue = new EventQueue<Envelope>();
  /** Wakes a run() waiting on pending work when stop() is called. */
  private wake: (() => void) | null = null;
  private readonly watchers: QueueWatcher[] = [];

  constructor(
    private readonly trace: TraceRecorder,
    private readonly perform: Perform = noPerformer,
  ) {}

  /** Current virtual time in milliseconds. */
  get now(): number {
    return this.clockMs;
  }

  /** Number of events still queued. */
  get pendingEvents(): number {
    return this.queue.size;
  }

  /** Enqueues `msg` for `to` at now + delayMs; `work` is started now and its outcome merged into the message at delivery. */
  send(from: string, to: string, msg: Message, delayMs = 0, work?: PendingWork): void {
    if (!(delayMs >= 0) || !Number.isFinite(delayMs)) {
      throw new InvariantError('message scheduled in the past or at an invalid time', { from, to, type: msg.type, delayMs });
    }
    this.enqueue({ atMs: virtualTime(this.clockMs + delayMs), seq: this.nextSeq++, from, to, msg, work });
  }

  private enqueue(event: QueuedEvent): void {
    // Settle the pending work into data now: a rejection is a value on the message (e.g. a crashed
    // worker), and Node must not see it as unhandled while the event waits in the queue.
    const pending = event.work
      ? this.perform(event.work, event.msg).then(
        (value) => value,
        (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }) as Partial<Message>,
      )
      : undefined;
    this.queue.push({ ...event, pending });
    for (const w of this.watchers) w.queued(event);
  }

  /** Adds a watcher of the queue (before any event is queued, so it sees them all). */
  watch(watcher: QueueWatcher): void {
    this.watchers.push(watcher);
  }

  /** The clock, the next sequence number and every queued event with its work, as plain data. */
  snapshot(): SchedulerState {
    const events = this.queue.items().map(({ atMs, seq, from, to, msg, work }) => (work ? { atMs, seq, from, to, msg, work } : { atMs, seq, from, to, msg }));
    events.sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
    return { clockMs: this.clockMs, nextSeq: this.nextSeq, events };
  }

  /** Rebuilds a snapshot's state into this (empty) scheduler, starting each event's work again. */
  restore(state: SchedulerState): void {
    if (this.queue.size > 0 || this.nextSeq > 0) throw new InvariantError('restore into a scheduler already in use', { queued: this.queue.size, nextSeq: this.nextSeq });
    this.clockMs = state.clockMs;
    this.nextSeq = state.nextSeq;
    for (const event of state.events) this.enqueue(event);
  }

  /** Whether an event matching `predicate` is queued (lets the engine skip work the clock already dooms). */
  isQueued(predicate: (envelope: Envelope) => boolean): boolean {
    return this.queue.some(predicate);
  }

  /**
   * Asks the loop to stop after the current event (the queue keeps what is left). If the loop is
   * waiting for an event's pending work, that event goes back in the queue undelivered.
   */
  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  /** Runs until the queue is empty or stop() is called. Resolves with the number of events delivered. */
  async run(deliver: Deliver): Promise<number> {
    let delivered = 0;
    while (!this.stopped) {
      const envelope = this.queue.pop();
      if (!envelope) break;
      for (const w of this.watchers) w.dequeued(envelope);
      if (envelope.atMs < this.clockMs) {
        throw new InvariantError('virtual time went back', { now: this.clockMs, event: envelope.atMs, type: envelope.msg.type });
      }
      if (envelope.pending) {
        const stopped = new Promise<null>((resolve) => (this.wake = () => resolve(null)));
        const patch = await Promise.race([envelope.pending, stopped]);
        this.wake = null;
        if (patch === null) {
          this.queue.push(envelope); // not delivered: it stays queued, its work running or described
          for (const w of this.watchers) w.queued(envelope);
          break;
        }
        envelope.msg = { ...envelope.msg, ...patch } as Message;
        envelope.pending = undefined;
        envelope.work = undefined;
      }
      this.clockMs = envelope.atMs;
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
