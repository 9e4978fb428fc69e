/**
 * Client actors made on first contact: a client's actor and state are created from its population
 * row when a message first reaches it, and retired once its state is back to what the row says
 * (no in-flight task, no local modules, no scripted slowdown, link change or misbehaviour, online,
 * its starting modalities) — so a run holds actors only for the clients that hold something.
 */
import type { ActorFactory, OnDemandActor } from '../src/sim/actor-system.js';
import { HAS_AUDIO, HAS_VIDEO, type ClientRows } from '../src/data/client-rows.js';
import { clientBehaviour, type ClientDeps, type ClientState } from './client.js';

/** A client's state as its row gives it (what a never-contacted client is). */
export function freshClientState(rows: ClientRows, rank: number): ClientState {
  const modal = rows.modal[rank];
  return { id: rows.idAt(rank), online: true, hasAudio: (modal & HAS_AUDIO) !== 0, hasVideo: (modal & HAS_VIDEO) !== 0, slowdown: 1, linkDelayMs: 0, linkLossProbability: 0, local: null, inFlight: null };
}

/** Whether `state` holds nothing beyond its row (the actor can go). */
export function isIdleClient(state: ClientState, fresh: ClientState): boolean {
  return state.inFlight === null && state.local === null && (state.misbehave ?? null) === null && state.online === fresh.online && state.hasAudio === fresh.hasAudio
    && state.hasVideo === fresh.hasVideo && state.slowdown === fresh.slowdown && state.linkDelayMs === fresh.linkDelayMs && state.linkLossProbability === fresh.linkLossProbability;
}

/** What makes one client actor, its deps shared by all but the sample indices. */
export function clientActorOf(rows: ClientRows, rank: number, deps: Omit<ClientDeps, 'sampleIndices'>): OnDemandActor<ClientState> {
  const fresh = freshClientState(rows, rank);
  return { behaviour: clientBehaviour({ ...deps, sampleIndices: rows.sampleIndicesAt(rank) }), initialState: fresh, idle: (state) => isIdleClient(state, fresh) };
}

/** The factory for actors named `${prefix}${id}` of the population's clients. */
export function clientActorFactory(rows: ClientRows, prefix: string, deps: Omit<ClientDeps, 'sampleIndices'>): ActorFactory {
  return (name) => {
    if (!name.startsWith(prefix)) return null;
    const rank = rows.rankOf(name.slice(prefix.length));
    return rank < 0 ? null : (clientActorOf(rows, rank, deps) as OnDemandActor<unknown>);
  };
}
