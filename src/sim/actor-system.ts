/**
 * Actors on nact, driven only by the scheduler. Every actor is named; every send goes through the
 * scheduler; a handler's error is caught here and fails the run through the scheduler (with the
 * trace tail) instead of nact's default log-and-stop. Each actor's latest state is mirrored as plain
 * data so the run state can be inspected and checkpointed.
 */
import { dispatch, spawn, start, stop, type Ref } from 'nact';
import type { Message } from '../protocol/messages.js';
import type { PendingWork } from '../protocol/work.js';
import type { Envelope, Scheduler } from './scheduler.js';

/** What a behaviour may do besides returning its next state. */
export interface ActorIO {
  /** This actor's name. */
  readonly self: string;
  /** Virtual time of the message being handled. */
  readonly now: number;
  /** Sends `msg` to `to`, delivered at now + delayMs. */
  send(to: string, msg: Message, delayMs?: number): void;
  /** Sends `msg` at now + delayMs and starts `work` (plain data) now; its outcome is merged into the message at delivery. */
  sendWhen(to: string, msg: Message, delayMs: number, work: PendingWork): void;
}

/** An actor's behaviour: (state, message, io) → next state. */
export type Behaviour<S> = (state: S, msg: Message, io: ActorIO) => S | Promise<S>;

interface Box {
  envelope: Envelope;
  done: (error?: unknown) => void;
}

/** A named set of actors delivered to by one scheduler. */
export class ActorSystem {
  private readonly system = start('modality-mirror');
  private readonly refs = new Map<string, Ref<Box>>();
  private readonly mirrored = new Map<string, unknown>();

  constructor(private readonly scheduler: Scheduler) {}

  /** Spawns a named actor with an initial state. Names must be unique. */
  spawn<S>(name: string, behaviour: Behaviour<S>, initialState: S): void {
    if (this.refs.has(name)) throw new Error(`actor name "${name}" is already taken`);
    this.mirrored.set(name, initialState);
    const scheduler = this.scheduler;
    const mirrored = this.mirrored;
    const handler = async (state: S, box: Box): Promise<S> => {
      const { envelope } = box;
      const io: ActorIO = {
        self: name,
        now: envelope.atMs,
        send: (to, msg, delayMs = 0) => scheduler.send(name, to, msg, delayMs),
        sendWhen: (to, msg, delayMs, work) => scheduler.send(name, to, msg, delayMs, work),
      };
      try {
        const next = await behaviour(state, envelope.msg, io);
        mirrored.set(name, next);
        box.done();
        return next;
      } catch (error) {
        box.done(error);
        return state;
      }
    };
    this.refs.set(name, spawn(this.system, handler, name, { initialState }));
  }

  /** Delivers one envelope and resolves when its handler has finished (rejects with the handler's error). */
  deliver = (envelope: Envelope): Promise<void> => {
    const ref = this.refs.get(envelope.to);
    if (!ref) return Promise.reject(new Error(`no actor named "${envelope.to}" (message ${envelope.msg.type} from ${envelope.from})`));
    return new Promise<void>((resolve, reject) => {
      dispatch(ref, { envelope, done: (error?: unknown) => (error === undefined ? resolve() : reject(error)) });
    });
  };

  /** The latest state of an actor. */
  stateOf<S>(name: string): S {
    if (!this.mirrored.has(name)) throw new Error(`no actor named "${name}"`);
    return this.mirrored.get(name) as S;
  }

  /** Every actor's latest state, by name (plain data). */
  states(): Record<string, unknown> {
    return Object.fromEntries([...this.mirrored.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  /** Stops every actor and the nact system. */
  shutdown(): void {
    for (const ref of this.refs.values()) stop(ref);
    stop(this.system);
  }
}
