/**
 * The contract every registered algorithm keeps, run over the registry (a new algorithm is covered
 * by adding its registry line): its plans name registered objectives with valid parameters; its
 * state stays plain data; a run replays identically whatever order training finishes in (fake
 * trainer) and on 1 vs 2 pool workers (real tiny trainer); every selected client is accounted for
 * exactly once; a failed or rejected reply never reaches aggregation; unknown or out-of-range
 * parameters are refused with an error naming them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { decode, encode } from '../../src/core/codec.js';
import { ConfigError } from '../../src/core/errors.js';
import { buildRunConfig } from '../../src/engine/build-run-config.js';
import { createTrainer } from '../../src/engine/create-trainer.js';
import { loadScenarioData } from '../../src/scenario/prepare-dataset.js';
import { runSimulation } from '../../src/engine/run-simulation.js';
import { modulesOf } from '../../src/model/model-kinds.js';
import { validateScenario } from '../../src/scenario/load-scenario.js';
import { SHORT_KEYS } from '../../src/scenario/overrides.js';
import type { ScenarioInput } from '../../src/scenario/schema.js';
import { validateParams } from '../../src/strategies/params.js';
import { objectiveNamed, OBJECTIVES, STRATEGIES, STRATEGY_NAMES } from '../../src/strategies/registry.js';
import type { BufferedStrategy, BufferedUpdate } from '../../src/strategies/fedbuff.js';
import type { ClientView, PhaseState, Strategy, StrategySettings, UpdateReply } from '../../src/strategies/strategy.js';
import { FakeTrainer } from '../../src/train/fake-trainer.js';
import type { ModelKind } from '../../src/model/model-config.js';
import type { EvalTask, Trainer, TrainResult, TrainTask } from '../../src/protocol/trainer.js';
import { kitScenario } from '../helpers/kit-scenario.js';
import { tinyScenario } from '../helpers/tiny-scenario.js';

const CLIENTS: ClientView[] = [
  { id: '0', numSamples: 5, hasAudio: true, hasVideo: true },
  { id: '1', numSamples: 7, hasAudio: true, hasVideo: false },
  { id: '2', numSamples: 3, hasAudio: false, hasVideo: true },
  { id: '3', numSamples: 4, hasAudio: true, hasVideo: true },
];

/** Settings for a walk through every phase: two rounds each, the method's own defaults. */
function settingsFor(strategy: Strategy): StrategySettings {
  return {
    seed: 5,
    hyper: { epochs: 1, batchSize: 4, lr: 0.05, momentum: 0.9, weightDecay: 1e-5, clipNorm: 10 },
    rounds: strategy.phases.map(() => 2),
    params: { ...strategy.defaults },
  };
}

/** A fake reply to `client`'s step list: every trained module moved by a per-client amount. */
function replyTo(strategy: Strategy, state: PhaseState, client: ClientView, round: number, settings: StrategySettings): UpdateReply {
  const plan = strategy.plan(state, client, round, settings);
  const modules = new Set(plan.steps.flatMap((s): readonly string[] => s.trainModules ?? modulesOf(s.model)));
  const weights: Record<string, Float32Array> = {};
  for (const [key, w] of Object.entries(plan.weights)) if (modules.has(key.slice(0, key.indexOf('.')))) weights[key] = w.map((v) => v + 0.01 * (Number(client.id) + 1));
  return { clientId: client.id, numSamples: client.numSamples, weights, meanLoss: 1 };
}

/** A trainer that finishes training tasks in an order unrelated to submission (as a pool might). */
class ScrambledTrainer implements Trainer {
  readonly backend = 'fake';
  private count = 0;
  constructor(private readonly inner: FakeTrainer) {}
  initWeights(models: ModelKind[], seed: string) {
    return this.inner.initWeights(models, seed);
  }
  async train(task: TrainTask): Promise<TrainResult> {
    const result = await this.inner.train(task);
    // Real time only: the virtual clock, not completion order, must decide every result.
    await new Promise((resolve) => setTimeout(resolve, (this.count++ * 7) % 5));
    return result;
  }
  evaluate(task: EvalTask) {
    return this.inner.evaluate(task);
  }
  async close() {}
}

/**
 * A kit scenario with trouble: dropouts, a deadline, a NaN-sending client, a slow one, and
 * over-selection where the method's driver has rounds to over-select (a driver of its own, such as
 * FedBuff's buffered one, refuses that round-only rule).
 */
function troubled(method: string): ScenarioInput {
  const synchronous = (STRATEGIES[method].driver ?? 'rounds') === 'rounds';
  return kitScenario({
    seed: 17,
    videoMissingRate: 0.4,
    data: { kind: 'synthetic', seed: 1, numClasses: 3, samplesPerClass: 20, numClients: 8, alpha: 5, minSamplesPerClient: 3, audioFrames: 4, audioDims: 2, videoFrames: 2, videoDims: 2 },
    algorithm: { name: method, rounds: 3 },
    rounds: { clientsPerRound: 5, overSelection: synchronous ? 1.5 : 1, deadlineMs: 1_500, minReplies: 1 },
    population: { jitterSigma: 0.3, deviceSpeedSigma: 0.5 },
    timeline: [
      { type: 'dropout', at: { round: 1, offsetMs: 5 }, target: { clients: ['2', '5'] } },
      { type: 'rejoin', at: { round: 3 }, target: { clients: ['2'] } },
      { type: 'misbehave', kind: 'nan', at: { round: 0 }, target: { clients: ['3', '6'] } },
      { type: 'slowdown', at: { round: 0 }, target: { clients: ['4'] }, factor: 40 },
    ] as ScenarioInput['timeline'],
  });
}

/** Runs `input` with the fake trainer (optionally scrambled, optionally failing client 1's tasks), spying on aggregation. */
async function spiedRun(input: ScenarioInput, options: { scramble?: boolean; failClient?: string } = {}) {
  const scenario = validateScenario(input, 'contract');
  const dataset = loadScenarioData(scenario, 'contract');
  const config = buildRunConfig(scenario, dataset, 'contract');
  const aggregated: Array<{ round: number; clients: string[] }> = [];
  const inner = config.strategy;
  const applied: string[] = [];
  const buffered = inner as Partial<BufferedStrategy>;
  const strategy: Strategy<PhaseState> = {
    ...inner,
    aggregate: (state, replies, round, settings) => {
      aggregated.push({ round, clients: replies.map((r) => r.clientId) });
      return inner.aggregate(state, replies, round, settings);
    },
    // A buffered driver applies updates through applyBuffer instead: spy on that too.
    ...(buffered.applyBuffer && {
      applyBuffer: (state: PhaseState, updates: BufferedUpdate[], settings: StrategySettings) => {
        applied.push(...updates.map((u) => u.reply.clientId));
        return buffered.applyBuffer!(state, updates, settings);
      },
    }),
  };
  const fake = new FakeTrainer({ labels: dataset.store.labels, numClasses: dataset.store.numClasses, failSeeds: options.failClient ? [`/train/${options.failClient}/`] : [] });
  const trainer = options.scramble ? new ScrambledTrainer(fake) : fake;
  const result = await runSimulation({ ...config, strategy }, trainer, { onUntrained: 'return' });
  return { result, aggregated, applied };
}

describe.each(STRATEGY_NAMES)('algorithm contract: %s', (name) => {
  const strategy = STRATEGIES[name];

  it('declares itself consistently: a phase per round count, parameter rules that accept its own defaults, objectives in the registry', () => {
    expect(strategy.name).toBe(name);
    expect(strategy.phases.length).toBeGreaterThan(0);
    for (const phase of strategy.headlinePhases ?? []) expect(strategy.phases).toContain(phase);
    for (const [param, value] of Object.entries(strategy.defaults)) {
      const rule = strategy.paramRules?.[param];
      expect(rule, `${name}: parameter ${param} has no rule`).toBeDefined();
      expect(rule!.ok(value), `${name}: default ${param} = ${value} breaks its rule`).toBe(true);
      // A parameter is a --set short key of its own, never shadowing another field's.
      expect(SHORT_KEYS[param]).toBe(`algorithm.params.${param}`);
    }
    for (const objective of strategy.objectives ?? []) expect(OBJECTIVES[objective.name]).toBe(objective);
  });

  it('plans only registered objectives with valid parameters, and its state stays plain data through every phase', async () => {
    const settings = settingsFor(strategy);
    const initial = await new FakeTrainer({ labels: new Int32Array(1), numClasses: 3 }).initWeights([...strategy.models], 'contract');
    let state = strategy.init(initial, settings);
    const roundTrip = (s: PhaseState) => {
      expect(structuredClone(s)).toEqual(s);
      // The checkpoint's encoding (msgpack, Float32Array kept): decodes to an equal state, re-encodes to the same bytes.
      expect(decode(encode(s))).toEqual(s);
      expect(encode(decode(encode(s)))).toEqual(encode(s));
    };
    roundTrip(state);
    const totalRounds = settings.rounds.reduce((a, b) => a + b, 0);
    for (let round = 0; round < totalRounds; round++) {
      const eligible = CLIENTS.filter((c) => strategy.eligible(state, c));
      expect(eligible.length, `${name} round ${round}: nobody eligible`).toBeGreaterThan(0);
      for (const client of eligible) {
        const plan = strategy.plan(state, client, round, settings);
        expect(plan.steps.length).toBeGreaterThan(0);
        for (const step of plan.steps) {
          const objective = objectiveNamed(step.kind);
          expect(['audio', 'video', 'av']).toContain(step.model);
          expect(step.frozen !== undefined).toBe(objective.frozenModel !== undefined);
          for (const [param, rule] of Object.entries(objective.params ?? {})) expect(rule.ok(step.params?.[param] as number), `${step.kind}.params.${param}`).toBe(true);
          for (const module of step.trainModules ?? modulesOf(step.model)) expect(Object.keys(plan.weights).some((k) => k.startsWith(`${module}.`)), `plan weights lack ${module}`).toBe(true);
        }
      }
      state = strategy.aggregate(state, eligible.map((c) => replyTo(strategy, state, c, round, settings)), round, settings);
      roundTrip(state);
    }
    expect(state.phaseIndex).toBe(strategy.phases.length);
    for (const spec of strategy.evaluate(state)) expect(Object.keys(spec.weights).length).toBeGreaterThan(0);
  });

  it('replays identically whatever order training finishes in; accounts for every selected client once; aggregates no failed or rejected reply', async () => {
    const input = troubled(name);
    const plain = await spiedRun(input, { failClient: '1' });
    const scrambled = await spiedRun(input, { failClient: '1', scramble: true });
    expect(scrambled.result.traceHash).toBe(plain.result.traceHash);
    expect(scrambled.result.weightsHash).toBe(plain.result.weightsHash);
    const { rounds } = plain.result;
    // The synchronous round driver aggregates once per round; a driver of its own (e.g. buffered) may not.
    const synchronous = (strategy.driver ?? 'rounds') === 'rounds';
    if (synchronous) expect(rounds.length).toBe(3 * strategy.phases.length);
    const outcomes = { failed: 0, rejected: 0, dropped: 0 };
    for (const r of rounds) {
      const accounted = [...r.succeeded, ...[r.dropped, r.late, r.failed, r.rejected].flatMap((list) => list.map((o) => o.clientId))];
      expect(accounted.slice().sort(), `round ${r.round}`).toEqual(r.selected.slice().sort());
      const aggregated = plain.aggregated.filter((a) => a.round === r.round);
      if (synchronous) {
        expect(aggregated).toHaveLength(1);
        expect(aggregated[0].clients.slice().sort()).toEqual(r.status === 'ok' ? r.succeeded.slice().sort() : []);
      }
      for (const o of [...r.failed, ...r.rejected]) for (const a of aggregated) expect(a.clients).not.toContain(o.clientId);
      if (!synchronous) for (const o of [...r.failed, ...r.rejected]) expect(plain.applied, `step ${r.round}`).not.toContain(o.clientId);
      outcomes.failed += r.failed.length;
      outcomes.rejected += r.rejected.length;
      outcomes.dropped += r.dropped.length;
    }
    // The scenario really exercised each path (else the checks above would be vacuous).
    expect(outcomes.failed).toBeGreaterThan(0);
    expect(outcomes.rejected).toBeGreaterThan(0);
    expect(outcomes.dropped).toBeGreaterThan(0);
    // Some update reached aggregation, so the exclusion checks above compared against something.
    expect(synchronous ? plain.aggregated.some((a) => a.clients.length > 0) : plain.applied.length > 0).toBe(true);
  });

  it('refuses an unknown parameter and, for each of its parameters, a value its rule refuses, naming the field', () => {
    expect(() => validateParams({ [`${name}-no-such-param`]: 1 }, 'contract')).toThrow(ConfigError);
    expect(() => validateParams({ [`${name}-no-such-param`]: 1 }, 'contract')).toThrow(`algorithm.params.${name}-no-such-param = 1 is invalid: unknown parameter`);
    for (const [param, rule] of Object.entries(strategy.paramRules ?? {})) {
      const bad = [-1, 1e9, 0.5, 0, Number.NaN].find((v) => !rule.ok(v));
      expect(bad, `${name}.${param}: no refused value among the probes`).toBeDefined();
      expect(() => validateParams({ [param]: bad! }, 'contract')).toThrow(`algorithm.params.${param} = `);
    }
  });
});

describe('algorithm contract: real tiny trainer, 1 vs 2 pool workers', () => {
  const base = tinyScenario();
  const dataset = loadScenarioData(base, 'tiny');
  const trainers: Trainer[] = [];
  afterAll(async () => {
    for (const t of trainers) await t.close();
  });

  it('gives the same traceHash and weightsHash for every registered algorithm', async () => {
    const model = buildRunConfig(base, dataset, 'tiny').model;
    const one = await createTrainer({ workers: 1, backend: 'wasm' }, dataset.store, model);
    trainers.push(one);
    const two = await createTrainer({ workers: 2, backend: 'wasm' }, dataset.store, model);
    trainers.push(two);
    for (const name of STRATEGY_NAMES) {
      const config = buildRunConfig(tinyScenario({ algorithm: { name, rounds: 1 } }), dataset, 'tiny');
      const a = await runSimulation(config, one);
      const b = await runSimulation(config, two);
      expect(b.traceHash, name).toBe(a.traceHash);
      expect(b.weightsHash, name).toBe(a.weightsHash);
      expect(a.rounds.some((r) => r.succeeded.length > 0), `${name} trained`).toBe(true);
    }
  });
});
