/**
 * A client actor: holds its availability, modalities and speed; on a training request it hands the
 * task (as data) to the scheduler, which starts it at once (so a round's tasks run in parallel), and schedules its completion at
 * now + download + compute time from the cost model; the reply then travels back with upload time.
 * A client that drops loses its in-flight update and says so, as data.
 */
import { rng } from '../src/core/seed-streams.js';
import { selectModules, type WeightMap } from '../src/core/weights.js';
import type { Behaviour } from '../src/sim/actor-system.js';
import { computeMs, transferMs, type CostModelParams } from '../src/sim/cost-model.js';
import { virtualTime } from '../src/sim/scheduler.js';
import type { Message, TrainFailed } from '../src/protocol/messages.js';
import { trainedModules } from '../src/protocol/validate-update.js';
import { objectiveNamed } from '../src/strategies/registry.js';
import type { Misbehaviour } from '../src/protocol/misbehave.js';

/** A client's state: plain data. */
export interface ClientState {
  id: string;
  online: boolean;
  hasAudio: boolean;
  hasVideo: boolean;
  /** Compute slowdown factor from scenario events (1 = nominal). */
  slowdown: number;
  /** Extra one-way link delay in ms from scenario events. */
  linkDelayMs: number;
  /** Probability that an upload is lost on the link, from scenario events. */
  linkLossProbability: number;
  /** Modules kept locally between rounds (Harmony's personal encoders). */
  local: WeightMap | null;
  /** A scripted misbehaviour in force (scenario event `misbehave`), or absent/null when honest. */
  misbehave?: Misbehaviour | null;
  inFlight: { round: number; startedAtMs: number; uploadMs: number; keepLocal: string[] } | null;
}

/** What a client needs besides its state. */
export interface ClientDeps {
  seed: number;
  server: string;
  cost: CostModelParams;
  sampleIndices: number[];
  /** True if a dropout of `clientId` is already queued strictly before `atMs` (the clock dooms its update). */
  dropoutQueuedBefore: (clientId: string, atMs: number) => boolean;
  /** Compute updates the clock already dooms anyway (to check that skipping them changes nothing). */
  computeDoomed: boolean;
}

/** Bytes of a weight map on the wire (float32). */
export function weightBytes(weights: WeightMap): number {
  return Object.values(weights).reduce((sum, w) => sum + w.byteLength, 0);
}

/**
 * Why the clock already dooms this update, or null: a dropout queued before training finishes, or
 * an arrival at or after the deadline (the deadline event, queued first, wins a tie). Work with a
 * side effect on the client (modules it keeps locally) is never skipped for the deadline.
 */
function doomReason(deps: ClientDeps, clientId: string, finishAtMs: number, uploadMs: number, deadlineAtMs: number | null, keepsLocal: boolean): string | null {
  if (deps.dropoutQueuedBefore(clientId, finishAtMs)) return `a dropout is scheduled before training would finish (t=${finishAtMs}ms); not computed`;
  const arrivalMs = virtualTime(finishAtMs + uploadMs);
  if (!keepsLocal && deadlineAtMs !== null && arrivalMs >= deadlineAtMs) return `update would arrive at t=${arrivalMs}ms, after the deadline t=${deadlineAtMs}ms; not computed`;
  return null;
}

/** Builds a client behaviour. */
export function clientBehaviour(deps: ClientDeps): Behaviour<ClientState> {
  const fail = (state: ClientState, round: number, kind: TrainFailed['kind'], reason: string): TrainFailed =>
    ({ type: 'train/failed', round, clientId: state.id, kind, reason });

  return (state, msg: Message, io) => {
    switch (msg.type) {
      case 'train/request': {
        if (!state.online) {
          io.send(deps.server, fail(state, msg.round, 'dropped', 'offline when selected'));
          return state;
        }
        if (state.inFlight) {
          // Still training an earlier round: this request cannot be served (that update may still arrive, late).
          io.send(deps.server, fail(state, msg.round, 'dropped', `busy: still training round ${state.inFlight.round}`));
          return state;
        }
        const { plan } = msg;
        const n = deps.sampleIndices.length;
        const downloadBytes = weightBytes(plan.weights) + plan.steps.reduce((s, step) => s + (step.frozen ? weightBytes(step.frozen) : 0), 0);
        const work = plan.steps.map((step) => ({ kind: objectiveNamed(step.kind).cost ?? step.model, samplePasses: n * plan.hyper.epochs }));
        const downMs = transferMs(downloadBytes, deps.cost, state.linkDelayMs);
        const compMs = computeMs(deps.seed, state.id, msg.round, work, deps.cost, state.slowdown);
        const uploadMs = transferMs(weightBytes(selectModules(plan.weights, [...trainedModules(plan)])), deps.cost, state.linkDelayMs);
        const doomed = doomReason(deps, state.id, virtualTime(io.now + downMs + compMs), uploadMs, msg.deadlineAtMs, (plan.keepLocal ?? []).length > 0);
        if (doomed !== null && !deps.computeDoomed) {
          io.send(io.self, { type: 'train/done', round: msg.round, skipped: doomed }, downMs + compMs);
        } else {
          // The training task goes to the trainer now, described as data (a checkpoint keeps the description).
          const binding = { seed: deps.seed, clientId: state.id, round: msg.round, sampleIndices: deps.sampleIndices, hasVideo: state.hasVideo, local: state.local, ...(state.misbehave ? { misbehave: state.misbehave } : {}) };
          io.sendWhen(io.self, { type: 'train/done', round: msg.round }, downMs + compMs, { kind: 'train', plan, binding });
        }
        return { ...state, inFlight: { round: msg.round, startedAtMs: io.now, uploadMs, keepLocal: plan.keepLocal ?? [] } };
      }
      case 'train/done': {
        // A dropout already reported this round as lost; the computed update goes nowhere.
        if (!state.inFlight || state.inFlight.round !== msg.round) return state;
        const { uploadMs, startedAtMs, keepLocal } = state.inFlight;
        if (msg.skipped !== undefined) {
          io.send(deps.server, fail(state, msg.round, 'late', msg.skipped), uploadMs);
          return { ...state, inFlight: null };
        }
        // Failures reach the server when the update would have, so a late one counts as late
        // whether or not the clock-doomed work was computed.
        if (msg.error !== undefined || !msg.result) {
          io.send(deps.server, fail(state, msg.round, 'failed', `training failed: ${msg.error ?? 'no result'}`), uploadMs);
          return { ...state, inFlight: null };
        }
        // Only modules the plan marks as personal are kept (so clients hold no weights otherwise);
        // they are kept even if the upload is then lost: the client did train them.
        const local = keepLocal.length > 0 ? { ...(state.local ?? {}), ...selectModules(msg.result.weights, keepLocal) } : state.local;
        if (state.linkLossProbability > 0 && rng(deps.seed, 'link-loss', state.id, msg.round).next() < state.linkLossProbability) {
          io.send(deps.server, fail(state, msg.round, 'dropped', `update lost on the link (loss probability ${state.linkLossProbability})`), uploadMs);
          return { ...state, inFlight: null, local };
        }
        io.send(deps.server, { type: 'train/reply', round: msg.round, clientId: state.id, result: msg.result, startedAtMs }, uploadMs);
        return { ...state, inFlight: null, local };
      }
      case 'client/dropout': {
        if (state.inFlight) io.send(deps.server, fail(state, state.inFlight.round, 'dropped', `dropped mid-round: ${msg.reason}`));
        return { ...state, online: false, inFlight: null };
      }
      case 'client/rejoin':
        return { ...state, online: true };
      case 'client/modality-loss':
      case 'client/modality-restore': {
        const has = msg.type === 'client/modality-restore';
        return msg.modality === 'audio' ? { ...state, hasAudio: has } : { ...state, hasVideo: has };
      }
      case 'client/slowdown':
        return { ...state, slowdown: msg.factor ?? 1 };
      case 'client/misbehave':
        return { ...state, misbehave: msg.misbehave ?? null };
      case 'client/link':
        return { ...state, linkDelayMs: msg.delayMs ?? state.linkDelayMs, linkLossProbability: msg.lossProbability ?? state.linkLossProbability };
      default:
        throw new Error(`client ${state.id} cannot handle message ${msg.type}`);
    }
  };
}
