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
 * `perform` may hold the work it is given until its `flush()`, which the scheduler calls before it
 * waits on any pending work (so a trainer can start a round's tasks in the order it prefers).
 *
 * Deferrable events (work for which `isDeferrable` holds: evaluation) do not hold the clock. When
 * one is popped the loop goes on without waiting for its work; the event keeps its slot in the
 * trace (records of later events wait behind it, so the trace is the same byte for byte) and is
 * delivered, in order with the other deferred events, as soon as its work is done, at the latest
 * at `flush()`, which the loop also calls when the queue runs dry or it stops. The rule that makes
 * this safe: a deferrable event's handler must not send messages (the scheduler throws if it
 * does), and nothing may read the state it changes before a flush — neither other actors (they
 * only see messages) nor its own actor's other handlers, nor the engine (ActorSystem.stateOf throws
 * while such an event is outstanding). Hence flush before a summary or a crash report. A checkpoint
 * need not wait: `snapshot()` carries the undelivered deferred events (their work as data) and the
 * trace records held behind them, and `restore()` starts that work again and holds them the same
 * way, so a resumed run delivers them in their slots (the receiving actor's saved state is the one
 * before them).
 */
import { InvariantError } from '../core/errors.js';
import type { Message } from '../protocol/messages.js';
import { isDeferrable, type PendingWork } from '../protocol/work.js';
import { EventQueue } from './event-queue.js';
import { digestPayload, type TraceRecord, type TraceRecorder } from './trace.js';

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

/** A deferred event not yet delivered, or the trace record of an event delivered after one (digested). */
export type TrailingEntry = { deferred: QueuedEvent } | { record: TraceRecord };

/** The scheduler's state between two events: plain data. */
export interface SchedulerState {
  clockMs: number;
  nextSeq: number;
  /** Queued events in delivery order. */
  events: QueuedEvent[];
  /**
   * Deferred events popped but not delivered, oldest first, with the trace records of the events
   * delivered after them (absent or empty: none; a state saved after a flush).
   */
  trailing?: TrailingEntry[];
}

/** How many trace records a state holds back behind its undelivered deferred events. */
export function heldRecords(state: SchedulerState): number {
  return (state.trailing ?? []).filter((entry) => 'record' in entry).length;
}

/**
 * Starts an event's pending work; resolves with the fields it adds to the event's message. It may
 * hold work until `flush()`, which the scheduler calls before waiting on any pending work.
 */
export interface Perform {
  (work: PendingWork, msg: Message): Promise<Partial<Message>>;
  flush?(): void;
}

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

/** Options of a Scheduler. */
export interface SchedulerOptions {
  /** Let deferrable events (evaluation) trail behind the clock (default true; false waits on each in turn). */
  defer?: boolean;
}

/** What follows the oldest undelivered deferred event: deferred events and later events' trace records. */
type Trailing = { deferred: Envelope; patch?: Partial<Message> } | { record: TraceRecord };

/** The virtual clock and event queue. */
export class Scheduler {
  private clockMs = 0;
  private nextSeq = 0;
  private stopped = false;
  private readonly queue = new EventQueue<Envelope>();
  /** Wakes a run() waiting on pending work when stop() is called. */
  private wake: (() => void) | null = null;
  private readonly watchers: QueueWatcher[] = [];

  /** Deferred events not yet delivered, with the records of the events delivered after them, in order. */
  private readonly trailing: Trailing[] = [];
  /** Undelivered deferred events per receiving actor: hasDeferred() is asked after every server event, so it must not scan `trailing`. */
  private readonly deferredTo = new Map<string, number>();
  /** The deferrable event whose handler is running (it may not send). */
  private handlingDeferrable: Envelope | null = null;
  /** The run's deliver function, while run() is active (flush() delivers through it). */
  private deliverFn: Deliver | null = null;
  private delivered = 0;
  private readonly defer: boolean;

  constructor(
    private readonly trace: TraceRecorder,
    private readonly perform: Perform = noPerformer,
    options: SchedulerOptions = {},
  ) {
    this.defer = options.defer ?? true;
  }

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
    if (this.handlingDeferrable) {
      const { to: actor, msg: handled } = this.handlingDeferrable;
      throw new InvariantError('the handler of a deferrable event may not send messages', { actor, handling: handled.type, sending: msg.type, to });
    }
    if (!(delayMs >= 0) || !Number.isFinite(delayMs)) {
      throw new InvariantError('message scheduled in the past or at an invalid time', { from, to, type: msg.type, delayMs });
    }
    this.enqueue({ atMs: virtualTime(this.clockMs + delayMs), seq: this.nextSeq++, from, to, msg, work });
  }

  private enqueue(event: QueuedEvent): void {
    const pending = event.work ? this.start(event) : undefined;
    this.queue.push({ ...event, pending });
    for (const w of this.watchers) w.queued(event);
  }

  /** Starts an event's work. */
  private start(event: QueuedEvent): Promise<Partial<Message>> {
    // Settle the pending work into data now: a rejection is a value on the message (e.g. a crashed
    // worker), and Node must not see it as unhandled while the event waits in the queue.
    return this.perform(event.work!, event.msg).then(
      (value) => value,
      (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }) as Partial<Message>,
    );
  }

  /** Adds a watcher of the queue (before any event is queued, so it sees them all). */
  watch(watcher: QueueWatcher): void {
    this.watchers.push(watcher);
  }

  /**
   * The clock, the next sequence number, every queued event with its work and every undelivered
   * deferred event with the records held behind it, as plain data.
   */
  snapshot(): SchedulerState {
    const plain = ({ atMs, seq, from, to, msg, work }: QueuedEvent): QueuedEvent => (work ? { atMs, seq, from, to, msg, work } : { atMs, seq, from, to, msg });
    const events = this.queue.items().map(plain);
    events.sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
    const state: SchedulerState = { clockMs: this.clockMs, nextSeq: this.nextSeq, events };
    // A deferred event's work is saved as data even when it is done: a restore computes it again (a pure function).
    if (this.trailing.length > 0) state.trailing = this.trailing.map((entry) => ('record' in entry ? { record: entry.record } : { deferred: plain(entry.deferred) }));
    return state;
  }

  /** Rebuilds a snapshot's state into this (empty) scheduler, starting each event's work again. */
  restore(state: SchedulerState): void {
    if (this.queue.size > 0 || this.nextSeq > 0 || this.trailing.length > 0) throw new InvariantError('restore into a scheduler already in use', { queued: this.queue.size, nextSeq: this.nextSeq });
    this.clockMs = state.clockMs;
    this.nextSeq = state.nextSeq;
    for (const event of state.events) this.enqueue(event);
    // Held as when they were popped: watchers saw them leave the queue then, so they are not told again.
    for (const entry of state.trailing ?? []) {
      if ('record' in entry) {
        this.trailing.push({ record: entry.record });
        continue;
      }
      if (entry.deferred.work === undefined || !isDeferrable(entry.deferred.work)) {
        throw new InvariantError('a held event of a snapshot has no deferrable work', { seq: entry.deferred.seq, type: entry.deferred.msg.type });
      }
      this.hold({ ...entry.deferred, pending: this.start(entry.deferred) });
    }
  }

  /** Holds a popped deferred event (its work running) in its trace slot until it is delivered. */
  private hold(envelope: Envelope): void {
    const entry: Trailing = { deferred: envelope };
    void envelope.pending!.then((patch) => (entry.patch = patch));
    this.trailing.push(entry);
    this.deferredTo.set(envelope.to, (this.deferredTo.get(envelope.to) ?? 0) + 1);
  }

  /** Whether an event matching `predicate` is queued (lets the engine skip work the clock already dooms). */
  isQueued(predicate: (envelope: Envelope) => boolean): boolean {
    return this.queue.some(predicate);
  }

  /** Whether a deferred event (to `actor`, or to anyone) is still undelivered: that actor's state is not final yet. */
  hasDeferred(actor?: string): boolean {
    return actor === undefined ? this.deferredTo.size > 0 : this.deferredTo.has(actor);
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
    this.deliverFn = deliver;
    this.delivered = 0;
    try {
      while (!this.stopped) {
        await this.deliverDeferred(false);
        const envelope = this.queue.pop();
        if (!envelope) break;
        for (const w of this.watchers) w.dequeued(envelope);
        if (envelope.atMs < this.clockMs) {
          throw new InvariantError('virtual time went back', { now: this.clockMs, event: envelope.atMs, type: envelope.msg.type });
        }
        const deferrable = envelope.work !== undefined && isDeferrable(envelope.work);
        if (envelope.pending && deferrable && this.defer) {
          this.clockMs = envelope.atMs;
          this.hold(envelope);
          continue;
        }
        if (envelope.pending) {
          this.perform.flush?.();
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
        await this.deliverOne(envelope, deferrable);
      }
      await this.flush();
    } finally {
      this.deliverFn = null;
    }
    return this.delivered;
  }

  /**
   * Delivers every deferred event, waiting for their work, and records the trace behind them: after
   * it, the trace, the actors' states and snapshot() are what they would be without deferral.
   */
  async flush(): Promise<void> {
    await this.deliverDeferred(true);
  }

  /** Delivers deferred events from the oldest on while their work is done (all of them when `wait`). */
  private async deliverDeferred(wait: boolean): Promise<void> {
    while (this.trailing.length > 0) {
      const head = this.trailing[0];
      if ('record' in head) {
        this.trailing.shift();
        this.trace.record(head.record);
        continue;
      }
      if (head.patch === undefined) {
        if (!wait) return;
        this.perform.flush?.();
        head.patch = await head.deferred.pending!;
      }
      this.trailing.shift();
      const envelope = head.deferred;
      const left = this.deferredTo.get(envelope.to)! - 1;
      if (left === 0) this.deferredTo.delete(envelope.to);
      else this.deferredTo.set(envelope.to, left);
      envelope.msg = { ...envelope.msg, ...head.patch } as Message;
      envelope.pending = undefined;
      envelope.work = undefined;
      await this.deliverOne(envelope, true, true);
    }
  }

  /**
   * Records `envelope` in the trace (behind any undelivered deferred event, unless `slotReached`:
   * a deferred event taken from the head of the trailing list) and delivers it.
   */
  private async deliverOne(envelope: Envelope, deferrable: boolean, slotReached = false): Promise<void> {
    const record = { seq: envelope.seq, atMs: envelope.atMs, from: envelope.from, to: envelope.to, type: envelope.msg.type, msg: envelope.msg };
    // Digested now: a later handler may reuse the arrays this message carries.
    if (this.trailing.length > 0 && !slotReached) this.trailing.push({ record: { ...record, msg: digestPayload(record.msg) as Record<string, unknown> } });
    else this.trace.record(record);
    if (deferrable) this.handlingDeferrable = envelope;
    try {
      await this.deliverFn!(envelope);
    } catch (error) {
      this.handlingDeferrable = null;
      if (error instanceof RunCrashError) throw error;
      // A crash ends the run here. An earlier deferred event's failure comes first, as it would
      // without deferral; once they are delivered, the trace ends with this event, for the report.
      if (!deferrable) await this.flush();
      throw new RunCrashError(envelope.to, envelope.msg.type, error, this.trace.lastRecords);
    } finally {
      this.handlingDeferrable = null;
    }
    this.delivered++;
  }
}
