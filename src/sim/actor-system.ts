/**
 * Actors on nact, driven only by the scheduler. Every actor is named; every send goes through the
 * scheduler; a handler's error is caught here and fails the run through the scheduler (with the
 * trace tail) instead of nact's default log-and-stop. Each actor's latest state is mirrored as plain
 * data so the run state can be inspected and checkpointed. Actors may also be made on their first
 * delivery and retired when their state is idle again (client actors: see actors/client-actors.ts),
 * so a million-client population does not mean a million actors.
 */
import { dispatch, spawn, start, stop, type Ref } from 'nact';
import { InvariantError } from '../core/errors.js';
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

/** How an actor created on demand is made, and when it may be retired (its state then needs no keeping). */
export interface OnDemandActor<S> {
  behaviour: Behaviour<S>;
  initialState: S;
  /** True when `state` holds nothing worth an actor: it is stopped and forgotten after the event. */
  idle(state: S): boolean;
}

/** Makes the actor named `name` on its first delivery, or null when no such actor may exist. */
export type ActorFactory = (name: string) => OnDemandActor<unknown> | null;

interface Box {
  envelope: Envelope;
  done: (error?: unknown) => void;
}

/** A named set of actors delivered to by one scheduler. */
export class ActorSystem {
  private readonly system = start('modality-mirror');
  private readonly refs = new Map<string, Ref<Box>>();
  private readonly mirrored = new Map<string, unknown>();
  private readonly idle = new Map<string, (state: unknown) => boolean>();
  private factory: ActorFactory | null = null;

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

  /**
   * Actors not spawned up front are made by `factory` on their first delivery and retired after any
   * event that leaves them idle; a retired actor is made afresh (from the factory) if contacted again.
   */
  spawnOnDemand(factory: ActorFactory): void {
    this.factory = factory;
  }

  /** Spawns an actor that may be retired when idle (as one made on demand). */
  spawnRetirable<S>(name: string, made: OnDemandActor<S>, state: S = made.initialState): void {
    this.spawn(name, made.behaviour, state);
    this.idle.set(name, made.idle as (state: unknown) => boolean);
  }

  /** Number of live actors (for benchmarks and tests of retirement). */
  get size(): number {
    return this.refs.size;
  }

  /** Delivers one envelope and resolves when its handler has finished (rejects with the handler's error). */
  deliver = (envelope: Envelope): Promise<void> => {
    const name = envelope.to;
    if (!this.refs.has(name)) {
      const made = this.factory?.(name);
      if (made) this.spawnRetirable(name, made);
    }
    const ref = this.refs.get(name);
    if (!ref) return Promise.reject(new Error(`no actor named "${name}" (message ${envelope.msg.type} from ${envelope.from})`));
    return new Promise<void>((resolve, reject) => {
      dispatch(ref, {
        envelope,
        done: (error?: unknown) => {
          if (error !== undefined) return reject(error);
          const idle = this.idle.get(name);
          if (idle?.(this.mirrored.get(name))) this.retire(name);
          resolve();
        },
      });
    });
  };

  private retire(name: string): void {
    stop(this.refs.get(name)!);
    this.refs.delete(name);
    this.mirrored.delete(name);
    this.idle.delete(name);
  }

  /** The latest state of an actor. */
  stateOf<S>(name: string): S {
    this.checkSettled(name);
    if (!this.mirrored.has(name)) throw new Error(`no actor named "${name}"`);
    return this.mirrored.get(name) as S;
  }

  /**
   * Every actor's latest state, by name (plain data). With `withDeferred`, also while deferred events
   * are undelivered (for a checkpoint whose scheduler snapshot carries them: a restore delivers them
   * to these states); otherwise that throws.
   */
  states(withDeferred = false): Record<string, unknown> {
    if (!withDeferred && this.scheduler.hasDeferred()) throw new InvariantError('states read while deferred events are undelivered (flush the scheduler first)', {});
    return Object.fromEntries([...this.mirrored.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  /** A deferred event to `name` still undelivered means its state is not yet what the clock says (see scheduler.ts). */
  private checkSettled(name: string): void {
    if (this.scheduler.hasDeferred(name)) throw new InvariantError('state read while a deferred event to the actor is undelivered (flush the scheduler first)', { actor: name });
  }

  /** Stops every actor and the nact system. */
  shutdown(): void {
    for (const ref of this.refs.values()) stop(ref);
    stop(this.system);
  }
}
