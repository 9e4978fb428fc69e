/**
 * The server actor: opens rounds, samples clients from the round's own seed stream, sends each its
 * plan, collects replies until every selected client is accounted for, the first K of an
 * over-selected round have replied, or the deadline passes; then aggregates through the strategy
 * and asks the evaluator to score the new models. Late and stale replies are recorded, never used.
 * This is the synchronous driver (`roundsDriver`), the default of every algorithm (see server-driver.ts).
 */
import { rng } from '../src/core/seed-streams.js';
import type { ActorIO, Behaviour } from '../src/sim/actor-system.js';
import { virtualTime } from '../src/sim/scheduler.js';
import type { Message, TrainFailed, TrainReply } from '../src/protocol/messages.js';
import { currentPhase, type PhaseState, type Strategy, type StrategySettings, type UpdateReply } from '../src/strategies/strategy.js';
import { byClientId } from '../src/strategies/aggregators/index.js';
import { checkAccounting, meanTrainLoss, openRoundRecord, outstanding, updateReplyOf, type RoundRecord } from './round-record.js';
import { expectedShapes, firstNonFiniteModel, rejectionReason, validateAgainst } from '../src/protocol/validate-update.js';
import { eligibleClientsOf } from './eligible-clients.js';
import type { DriverState, RoundRules, ServerDeps, ServerDriver } from './server-driver.js';

export type { RoundRules, ServerDeps } from './server-driver.js';

/** The server's state: plain data. */
export interface ServerState extends DriverState {
  round: number;
  /** The open round; `expect` holds, per selected client, the weights its reply must carry (key → length). */
  open: { record: RoundRecord; target: number; replies: UpdateReply[]; expect?: Record<string, Record<string, number>> } | null;
}

/** Number of clients to keep in a round with `eligible` eligible clients out of `population`. */
export function roundTarget(rules: RoundRules, eligible: number, population: number): number {
  const base = rules.fractionOf === 'eligible' ? eligible : population;
  const k = rules.clientsPerRound <= 1 ? Math.round(rules.clientsPerRound * base) : rules.clientsPerRound;
  return Math.max(1, Math.min(eligible, k));
}

/** Builds the server behaviour. */
export function serverBehaviour(deps: ServerDeps): Behaviour<ServerState> {
  const { strategy, settings, rules } = deps;
  const eligible = eligibleClientsOf(deps.rows);
  const eligibleOf = (state: ServerState) => eligible(state.changes);

  /** Lets the world fire what the timeline places at this round, or ends the run after the last one. */
  const openNext = (state: ServerState, io: ActorIO): ServerState => {
    const phase = currentPhase(strategy, state.strategy);
    if (phase === null) {
      io.send(deps.evaluator, { type: 'run/end', round: state.round });
      return { ...state, finished: true, open: null };
    }
    io.send(deps.world, { type: 'round/opening', round: state.round, phase, roundInPhase: state.strategy.roundInPhase });
    return state;
  };

  const startRound = (state: ServerState, io: ActorIO): ServerState => {
    const phase = currentPhase(strategy, state.strategy)!;
    // Clients with no training samples (e.g. every item lost its modalities) are never eligible.
    const index = eligibleOf(state);
    const classes = index.classesFor(strategy, state.strategy);
    const eligibleCount = index.count(classes);
    const target = roundTarget(rules, eligibleCount, deps.rows.size);
    const count = Math.min(eligibleCount, Math.ceil(target * rules.overSelection));
    const chosen = index.sample(rng(settings.seed, 'sample', state.round), classes, count);
    const record = openRoundRecord(state.round, phase, io.now, chosen.map((c) => c.id));
    const deadlineAtMs = rules.deadlineMs === null ? null : virtualTime(io.now + rules.deadlineMs);
    const expect: Record<string, Record<string, number>> = {};
    for (const client of chosen) {
      const plan = strategy.plan(state.strategy, client, state.round, settings);
      expect[client.id] = expectedShapes(plan);
      io.send(deps.clientActor(client.id), { type: 'train/request', round: state.round, phase, plan, deadlineAtMs });
    }
    if (rules.deadlineMs !== null) io.send(io.self, { type: 'round/deadline', round: state.round }, rules.deadlineMs);
    const next: ServerState = { ...state, open: { record, target, replies: [], expect } };
    // A round with nobody to train closes at once (and fails for want of replies).
    return chosen.length === 0 ? closeRound(next, io, 'no eligible clients') : next;
  };

  const closeRound = (state: ServerState, io: ActorIO, why: string): ServerState => {
    const open = state.open!;
    const record: RoundRecord = { ...open.record, closedAtMs: io.now };
    const reasonLeft = why === 'deadline' ? `no reply by the deadline at t=${io.now}ms` : `round closed early (${why})`;
    record.late = [...record.late, ...outstanding(record).map((clientId) => ({ clientId, reason: reasonLeft, atMs: io.now }))];
    checkAccounting(record, settings.seed);
    const replies = byClientId(open.replies);
    const enough = replies.length >= Math.max(1, rules.minReplies);
    record.status = enough ? 'ok' : 'failed';
    if (!enough) record.reason = `${replies.length} accepted replies, fewer than the minimum ${Math.max(1, rules.minReplies)} (${why}); global model kept`;
    record.trainLoss = meanTrainLoss(replies);
    let strategyState = strategy.aggregate(state.strategy, enough ? replies : [], state.round, settings);
    if (enough) {
      if (strategyState.aggregationNotes) record.aggregation = strategyState.aggregationNotes;
      // A global model that became non-finite is not accepted: the round fails, the previous model stays.
      const broken = firstNonFiniteModel(strategy.evaluate(strategyState));
      if (broken) {
        record.status = 'failed';
        record.reason = `round ${state.round}: the aggregated model '${broken.name}' is not finite (${broken.at}); global model kept`;
        strategyState = strategy.aggregate(state.strategy, [], state.round, settings);
      }
    }
    io.send(deps.evaluator, { type: 'eval/request', round: state.round, phase: record.phase, specs: strategy.evaluate(strategyState) });
    return openNext({ ...state, strategy: strategyState, round: state.round + 1, open: null, rounds: [...state.rounds, record] }, io);
  };

  /** Records a reply or failure for a round that is already closed (it was counted late at close). */
  const recordAfterClose = (state: ServerState, msg: TrainReply | TrainFailed, io: ActorIO): ServerState => {
    const rounds = state.rounds.map((r) => {
      if (r.round !== msg.round) return r;
      const what = msg.type === 'train/reply' ? 'update arrived' : `${msg.kind}: ${msg.reason}`;
      const late = r.late.map((o) => (o.clientId === msg.clientId ? { ...o, reason: `${o.reason}; ${what} at t=${io.now}ms, discarded` } : o));
      return { ...r, late };
    });
    return { ...state, rounds };
  };

  const maybeClose = (state: ServerState, io: ActorIO): ServerState => {
    const open = state.open!;
    if (open.replies.length >= open.target && outstanding(open.record).length > 0) return closeRound(state, io, `first ${open.target} replies kept`);
    if (outstanding(open.record).length === 0) return closeRound(state, io, 'all selected clients accounted for');
    return state;
  };

  return (state, msg: Message, io) => {
    switch (msg.type) {
      case 'run/start':
        return openNext(state, io);
      case 'round/start':
        return startRound({ ...state, round: msg.round }, io);
      case 'round/deadline':
        return state.open && state.open.record.round === msg.round ? closeRound(state, io, 'deadline') : state;
      case 'train/reply': {
        if (!state.open || state.open.record.round !== msg.round) return recordAfterClose(state, msg, io);
        const expected = state.open.expect?.[msg.clientId];
        const rejections = expected ? validateAgainst(expected, msg.result) : [];
        if (rejections.length > 0) {
          const rejected = [...(state.open.record.rejected ?? []), { clientId: msg.clientId, reason: rejectionReason(rejections), atMs: io.now }];
          return maybeClose({ ...state, open: { ...state.open, record: { ...state.open.record, rejected } } }, io);
        }
        const record = { ...state.open.record, succeeded: [...state.open.record.succeeded, msg.clientId] };
        return maybeClose({ ...state, open: { ...state.open, record, replies: [...state.open.replies, updateReplyOf(msg)] } }, io);
      }
      case 'train/failed': {
        if (!state.open || state.open.record.round !== msg.round) return recordAfterClose(state, msg, io);
        const outcome = { clientId: msg.clientId, reason: msg.reason, atMs: io.now };
        const r = state.open.record;
        const record = msg.kind === 'dropped' ? { ...r, dropped: [...r.dropped, outcome] } : msg.kind === 'late' ? { ...r, late: [...r.late, outcome] } : { ...r, failed: [...r.failed, outcome] };
        return maybeClose({ ...state, open: { ...state.open, record } }, io);
      }
      case 'client/status': {
        eligibleOf(state).announceStatus(msg);
        return { ...state };
      }
      default:
        throw new Error(`server cannot handle message ${msg.type}`);
    }
  };
}

/** The synchronous round loop as a driver: the default for every algorithm that names none. */
export const roundsDriver: ServerDriver<ServerState> = {
  kind: 'rounds',
  behaviour: serverBehaviour,
  initialState: (strategy) => ({ strategy, changes: {}, round: 0, open: null, rounds: [], finished: false }),
};
