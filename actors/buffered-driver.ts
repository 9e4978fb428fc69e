/**
 * The buffered (asynchronous) driver, FedBuff's: the server keeps up to C clients training at once,
 * each on the model version it was sent; every arriving update goes into a buffer, and after K of
 * them the strategy applies one server step (weighting each by its staleness, see
 * src/strategies/fedbuff.ts). A finished, failed, dropped or timed-out task frees its slot, which is
 * refilled at once with a client drawn from rng(seed, 'fedbuff-sample', task number): the draw
 * depends on the task's identity, never on the order of events. Scenario events reach clients as in
 * rounds (dropouts, slowdowns, link delay and loss act in the client actor); events placed at round r
 * fire when server step r opens.
 *
 * Each server step is one RoundRecord: `selected` lists one entry per task that ended during the
 * step (a client may appear twice: two short tasks, or an offline client drawn again), `succeeded`
 * the clients whose updates the step applied, `contributions` their staleness and weights. An update
 * buffered in a step that failed is applied (and accounted) in the next. A step fails, keeping the
 * model, when no eligible client is left to train or when 10 × max(K, C) tasks fail in it (so a
 * population that is all offline ends the run instead of spinning). Tasks still training when the
 * budget of steps is spent are recorded late in the last step. A task's `round` on the wire is its
 * task number, so its seeds (training, jitter, link loss) are keyed by it.
 */
import { rng } from '../src/core/seed-streams.js';
import type { WeightMap } from '../src/core/weights.js';
import type { ActorIO, Behaviour } from '../src/sim/actor-system.js';
import { virtualTime } from '../src/sim/scheduler.js';
import type { Message } from '../src/protocol/messages.js';
import { expectedShapes, firstNonFiniteModel, rejectionReason, validateAgainst } from '../src/protocol/validate-update.js';
import { byClientId } from '../src/strategies/aggregators/index.js';
import { fedbuffConfig, type BufferedStrategy, type BufferedUpdate, type FedBuffConfig } from '../src/strategies/fedbuff.js';
import { currentPhase, type PhaseState, type UpdateReply } from '../src/strategies/strategy.js';
import { eligibleClientsOf } from './eligible-clients.js';
import { meanTrainLoss, openRoundRecord, updateReplyOf, type BufferedContribution, type ClientOutcome, type RoundRecord } from './round-record.js';
import type { DriverState, ServerDeps, ServerDriver } from './server-driver.js';

/** A task in flight: plain data. */
export interface BufferedTask {
  clientId: string;
  /** Model version (server steps applied) the client was sent. */
  version: number;
  startedAtMs: number;
  /** Weight keys and lengths its update must carry. */
  expect: Record<string, number>;
}

/** An update waiting in the buffer. */
export interface BufferedEntry {
  task: number;
  version: number;
  arrivedAtMs: number;
  reply: UpdateReply;
}

/** The buffered driver's state: plain data. */
export interface BufferedState extends DriverState {
  /** The open server step (its record is `record`). */
  step: number;
  /** Server steps applied so far (the model's version). */
  version: number;
  /** Tasks dispatched so far (the next task's number). */
  dispatched: number;
  /** True between asking the world to open the step and its `round/start`: no dispatching meanwhile. */
  opening: boolean;
  tasks: Record<string, BufferedTask>;
  /** Global weights by version, for the versions in-flight tasks and buffered updates started from. */
  bases: Record<string, WeightMap>;
  buffer: BufferedEntry[];
  record: RoundRecord | null;
  /** Tasks that failed in the open step. */
  stepFailures: number;
  /**
   * Tasks given up on (timed out, or still training at the end) whose client has not answered yet, by
   * number: the client and the index of the record that counted it late. Such a client is still busy.
   */
  abandoned: Record<string, { clientId: string; at: number }>;
  /** Clients that refused a request at once (offline when asked) at virtual time `atMs`: not asked again at that instant. */
  unreachable: { atMs: number; ids: string[] };
}

/** The bound on failed tasks in one step before the step fails. */
function stepFailureLimit(config: FedBuffConfig): number {
  return 10 * Math.max(config.bufferSize, config.concurrency);
}

/** Builds the buffered server behaviour. */
export function bufferedBehaviour(deps: ServerDeps): Behaviour<BufferedState> {
  const strategy = deps.strategy as unknown as BufferedStrategy;
  const { settings, rules } = deps;
  const config = fedbuffConfig(settings.params, rules, settings, deps.rows.size, `algorithm ${strategy.name}`);
  const eligible = eligibleClientsOf(deps.rows);
  const eligibleOf = (state: BufferedState) => eligible(state.changes);

  /** Opens step `state.step` through the world (timeline events placed there fire first), or ends the run. */
  const openStep = (state: BufferedState, io: ActorIO): BufferedState => {
    const phase = currentPhase(strategy, state.strategy);
    if (phase === null) return finish(state, io);
    io.send(deps.world, { type: 'round/opening', round: state.step, phase, roundInPhase: state.strategy.roundInPhase });
    return { ...state, opening: true, stepFailures: 0, record: openRoundRecord(state.step, phase, io.now, []) };
  };

  /**
   * Draws a free eligible client for task `task`, or null when every eligible client is training (or
   * refused a request at this very instant).
   */
  const draw = (state: BufferedState, task: number, nowMs: number) => {
    const index = eligibleOf(state);
    const classes = index.classesFor(strategy, state.strategy);
    const busy = new Set([...Object.values(state.tasks), ...Object.values(state.abandoned)].map((t) => t.clientId));
    if (state.unreachable.atMs === nowMs) for (const id of state.unreachable.ids) busy.add(id);
    const stream = rng(settings.seed, 'fedbuff-sample', task);
    // busy + 1 clients always hold a free one (if there are that many); each free client is equally likely.
    const free = index.sample(stream, classes, busy.size + 1).filter((c) => !busy.has(c.id));
    return free.length === 0 ? null : free[stream.int(free.length)];
  };

  /** Fills free slots with new tasks; a step with nothing in flight and nobody to draw fails. */
  const fill = (state: BufferedState, io: ActorIO): BufferedState => {
    if (state.finished || state.opening) return state;
    let next = state;
    while (Object.keys(next.tasks).length < config.concurrency) {
      const task = next.dispatched;
      const client = draw(next, task, io.now);
      if (client === null) break;
      const phase = next.record!.phase;
      const plan = strategy.plan(next.strategy, client, task, settings);
      const deadlineAtMs = rules.deadlineMs === null ? null : virtualTime(io.now + rules.deadlineMs);
      io.send(deps.clientActor(client.id), { type: 'train/request', round: task, phase, plan, deadlineAtMs });
      if (rules.deadlineMs !== null) io.send(io.self, { type: 'task/timeout', task }, rules.deadlineMs);
      next = {
        ...next,
        dispatched: task + 1,
        tasks: { ...next.tasks, [task]: { clientId: client.id, version: next.version, startedAtMs: io.now, expect: expectedShapes(plan) } },
        bases: next.bases[next.version] ? next.bases : { ...next.bases, [next.version]: plan.weights },
      };
    }
    if (Object.keys(next.tasks).length === 0) return closeStep(next, io, 'no eligible client is free to train');
    return next;
  };

  /** Ends a task without an update: recorded under `kind`, its slot refilled; too many failures fail the step. */
  const endWithout = (state: BufferedState, task: number, kind: 'dropped' | 'late' | 'failed' | 'rejected', reason: string, io: ActorIO): BufferedState => {
    const t = state.tasks[task];
    const tasks = { ...state.tasks };
    delete tasks[task];
    const r = state.record!;
    const outcome: ClientOutcome = { clientId: t.clientId, reason, atMs: io.now, task };
    const record = { ...r, selected: [...r.selected, t.clientId], [kind]: [...(r[kind] ?? []), outcome] };
    // A client that refused at once (offline when asked) is not asked again at this instant, so a
    // slot whose only free clients are offline stays empty until time moves on.
    const refusedNow = kind === 'dropped' && io.now === t.startedAtMs;
    const unreachable = !refusedNow ? state.unreachable : state.unreachable.atMs === io.now ? { atMs: io.now, ids: [...state.unreachable.ids, t.clientId] } : { atMs: io.now, ids: [t.clientId] };
    const next = { ...state, tasks, record, unreachable, stepFailures: state.stepFailures + 1 };
    if (next.stepFailures >= stepFailureLimit(config)) return closeStep(next, io, `${next.stepFailures} tasks failed in this step (the limit is 10 × max(K, C) = ${stepFailureLimit(config)})`);
    return fill(next, io);
  };

  /** Closes the open step: applies the buffer (`failure` null) or keeps the model; evaluates; opens the next. */
  const closeStep = (state: BufferedState, io: ActorIO, failure: string | null): BufferedState => {
    let record: RoundRecord = { ...state.record!, closedAtMs: io.now };
    let strategyState: PhaseState = state.strategy;
    let version = state.version;
    let buffer = state.buffer;
    if (failure === null) {
      const entries = [...buffer].sort((a, b) => (a.reply.clientId < b.reply.clientId ? -1 : a.reply.clientId > b.reply.clientId ? 1 : a.task - b.task));
      const updates: BufferedUpdate[] = entries.map((e) => ({ reply: e.reply, staleness: state.version - e.version, base: state.bases[e.version] }));
      const applied = strategy.applyBuffer(state.strategy, updates, settings);
      const broken = firstNonFiniteModel(strategy.evaluate(applied.state));
      const contributions: BufferedContribution[] = entries.map((e, i) => ({
        clientId: e.reply.clientId, task: e.task, version: e.version, staleness: updates[i].staleness, weight: applied.weights[i], numSamples: e.reply.numSamples, arrivedAtMs: e.arrivedAtMs,
      }));
      const ids = entries.map((e) => e.reply.clientId);
      record = { ...record, selected: [...record.selected, ...ids], succeeded: ids, contributions, trainLoss: meanTrainLoss(entries.map((e) => e.reply)) };
      buffer = [];
      if (broken) {
        record = { ...record, status: 'failed', reason: `server step ${state.step}: the model '${broken.name}' is not finite (${broken.at}); model kept` };
        strategyState = strategy.applyBuffer(state.strategy, [], settings).state;
      } else {
        record = { ...record, status: 'ok' };
        strategyState = applied.state;
        version++;
      }
    } else {
      record = { ...record, status: 'failed', reason: `${failure}; model kept${buffer.length > 0 ? `, ${buffer.length} buffered updates carried to the next step` : ''}` };
      strategyState = strategy.applyBuffer(state.strategy, [], settings).state;
    }
    const last = currentPhase(strategy, strategyState) === null;
    if (last || (state.step + 1) % config.evalEvery === 0) {
      io.send(deps.evaluator, { type: 'eval/request', round: state.step, phase: record.phase, specs: strategy.evaluate(strategyState) });
    }
    // Only versions still in use are kept: in-flight tasks' and buffered updates'.
    const used = new Set([...Object.values(state.tasks).map((t) => t.version), ...buffer.map((e) => e.version)]);
    const bases: Record<string, WeightMap> = {};
    for (const v of used) bases[v] = state.bases[v];
    const next: BufferedState = { ...state, strategy: strategyState, version, buffer, bases, record: null, rounds: [...state.rounds, record], step: state.step + 1 };
    return openStep(next, io);
  };

  /** Ends the run: tasks still training and updates still buffered are recorded late in the last step. */
  const finish = (state: BufferedState, io: ActorIO): BufferedState => {
    io.send(deps.evaluator, { type: 'run/end', round: state.step });
    const rounds = [...state.rounds];
    const abandoned = { ...state.abandoned };
    if (rounds.length > 0) {
      const lastIndex = rounds.length - 1;
      const last = rounds[lastIndex];
      const left: ClientOutcome[] = [];
      for (const [task, t] of Object.entries(state.tasks)) {
        left.push({ clientId: t.clientId, reason: `still training when the run ended at t=${io.now}ms`, atMs: io.now, task: Number(task) });
        abandoned[task] = { clientId: t.clientId, at: lastIndex };
      }
      for (const e of state.buffer) left.push({ clientId: e.reply.clientId, reason: `update buffered, but the run ended before ${config.bufferSize} updates were`, atMs: io.now, task: e.task });
      rounds[lastIndex] = { ...last, selected: [...last.selected, ...left.map((o) => o.clientId)], late: [...last.late, ...left] };
    }
    return { ...state, rounds, abandoned, tasks: {}, buffer: [], bases: {}, record: null, opening: false, finished: true };
  };

  /** A reply or failure of a task already given up on: noted on the record that counted it late. */
  const afterAbandon = (state: BufferedState, task: number, what: string, io: ActorIO): BufferedState => {
    const at = state.abandoned[task]?.at;
    if (at === undefined) throw new Error(`server (seed ${settings.seed}): a message for task ${task}, which was never dispatched or was already settled`);
    const abandoned = { ...state.abandoned };
    delete abandoned[task];
    const note = (r: RoundRecord): RoundRecord => ({ ...r, late: r.late.map((o) => (o.task === task ? { ...o, reason: `${o.reason}; ${what} at t=${io.now}ms, discarded` } : o)) });
    // The record may still be the open step's.
    if (at >= state.rounds.length) return { ...state, record: note(state.record!), abandoned };
    const rounds = [...state.rounds];
    rounds[at] = note(rounds[at]);
    return { ...state, rounds, abandoned };
  };

  return (state, msg: Message, io) => {
    switch (msg.type) {
      case 'run/start':
        return openStep(state, io);
      case 'round/start':
        return msg.round === state.step && state.opening ? fill({ ...state, opening: false }, io) : state;
      case 'task/timeout': {
        const task = state.tasks[msg.task];
        if (!task) return state;
        // Counted late in the open step (record number state.rounds.length once closed); the client
        // stays busy until it answers, so the refill draws someone else.
        const abandoned = { ...state.abandoned, [msg.task]: { clientId: task.clientId, at: state.rounds.length } };
        return endWithout({ ...state, abandoned }, msg.task, 'late', `no update within the deadline of ${rules.deadlineMs}ms after its dispatch at t=${task.startedAtMs}ms`, io);
      }
      case 'train/reply': {
        const task = state.tasks[msg.round];
        if (!task) return afterAbandon(state, msg.round, 'update arrived', io);
        const rejections = validateAgainst(task.expect, msg.result);
        if (rejections.length > 0) return endWithout(state, msg.round, 'rejected', rejectionReason(rejections), io);
        const tasks = { ...state.tasks };
        delete tasks[msg.round];
        const next: BufferedState = { ...state, tasks, buffer: [...state.buffer, { task: msg.round, version: task.version, arrivedAtMs: io.now, reply: updateReplyOf(msg) }] };
        if (next.record !== null && !next.finished && next.buffer.length >= config.bufferSize) return closeStep(next, io, null);
        return fill(next, io);
      }
      case 'train/failed': {
        if (!state.tasks[msg.round]) return afterAbandon(state, msg.round, `${msg.kind}: ${msg.reason}`, io);
        return endWithout(state, msg.round, msg.kind, msg.reason, io);
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

/** The buffered driver (FedBuff's). */
export const bufferedDriver: ServerDriver<BufferedState> = {
  kind: 'buffered',
  behaviour: bufferedBehaviour,
  initialState: (strategy) => ({
    strategy, changes: {}, rounds: [], finished: false,
    step: 0, version: 0, dispatched: 0, opening: false, tasks: {}, bases: {}, buffer: [], record: null, stepFailures: 0, abandoned: {}, unreachable: { atMs: -1, ids: [] },
  }),
  check: (rules, settings, population, source) => {
    fedbuffConfig(settings.params, rules, settings, population, source);
  },
  tasksPerRecord: (rules, settings, population) => {
    // Each step applies K updates; failed and abandoned tasks add about C more per step at most.
    const c = fedbuffConfig(settings.params, rules, settings, population, 'estimate');
    return c.bufferSize + c.concurrency;
  },
};
