/**
 * The world actor: the scenario's hand. It fires timeline events at the rounds, phases or times
 * they are placed at, sends each client its change (and the server the modality changes clients
 * announce), schedules the end of timed dropouts, and then lets the server open the round — so an
 * event placed at a round's start is in force when that round samples its clients.
 */
import type { Behaviour } from '../src/sim/actor-system.js';
import type { ActorIO } from '../src/sim/actor-system.js';
import type { Message } from '../src/protocol/messages.js';
import type { TimelineEvent } from '../src/protocol/timeline.js';

/** The world's state: plain data. */
export interface WorldState {
  round: number;
  /** Rejoins owed at the start of a later round (dropouts with durationRounds). */
  rejoins: Array<{ round: number; index: number }>;
}

/** What the world needs besides its state. */
export interface WorldDeps {
  timeline: TimelineEvent[];
  server: string;
  clientActor: (id: string) => string;
}

/** Builds the world behaviour. */
export function worldBehaviour(deps: WorldDeps): Behaviour<WorldState> {
  const dispatchEvent = (state: WorldState, index: number, io: ActorIO, rejoin = false): WorldState => {
    const item = deps.timeline[index];
    if (rejoin) {
      const end = item.end ?? { type: 'client/rejoin' as const, reason: `end of timed dropout (timeline ${item.index})` };
      for (const id of item.clientIds) io.send(deps.clientActor(id), end);
      return state;
    }
    for (const id of item.clientIds) {
      io.send(deps.clientActor(id), item.event);
      if (item.event.type === 'client/modality-loss' || item.event.type === 'client/modality-restore') {
        io.send(deps.server, { type: 'client/status', clientId: id, modality: item.event.modality ?? 'video', available: item.event.type === 'client/modality-restore' });
      }
    }
    if (item.until && 'durationMs' in item.until) io.send(io.self, { type: 'world/fire', index, rejoin: true }, item.until.durationMs);
    if (item.until && 'durationRounds' in item.until) return { ...state, rejoins: [...state.rejoins, { round: state.round + item.until.durationRounds, index }] };
    return state;
  };

  const fire = (state: WorldState, index: number, offsetMs: number, io: ActorIO): WorldState => {
    if (offsetMs > 0) {
      io.send(io.self, { type: 'world/fire', index }, offsetMs);
      return state;
    }
    return dispatchEvent(state, index, io);
  };

  return (state, msg: Message, io) => {
    switch (msg.type) {
      case 'round/opening': {
        let next: WorldState = { ...state, round: msg.round };
        for (const due of next.rejoins.filter((r) => r.round === msg.round)) next = dispatchEvent(next, due.index, io, true);
        next = { ...next, rejoins: next.rejoins.filter((r) => r.round !== msg.round) };
        deps.timeline.forEach((item, index) => {
          const at = item.at;
          if ('round' in at && at.round === msg.round) next = fire(next, index, at.offsetMs, io);
          if ('phase' in at && at.phase === msg.phase && msg.roundInPhase === 0) next = fire(next, index, at.offsetMs, io);
        });
        io.send(deps.server, { type: 'round/start', round: msg.round });
        return next;
      }
      case 'world/fire':
        return dispatchEvent(state, msg.index, io, msg.rejoin === true);
      default:
        throw new Error(`world cannot handle message ${msg.type}`);
    }
  };
}
