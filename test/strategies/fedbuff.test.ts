import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { buildRunConfig } from '../../src/engine/build-run-config.js';
import { estimateWork } from '../../src/engine/estimate-work.js';
import { loadScenarioData } from '../../src/scenario/prepare-dataset.js';
import { validateScenario } from '../../src/scenario/load-scenario.js';
import { applyOverrides } from '../../src/scenario/overrides.js';
import type { ScenarioInput } from '../../src/scenario/schema.js';
import { applyDeltas, bufferWeights, fedbuff, fedbuffConfig, stalenessWeight, type BufferedUpdate } from '../../src/strategies/fedbuff.js';
import { kitScenario } from '../helpers/kit-scenario.js';

const rules = { clientsPerRound: 0.25, fractionOf: 'population' as const, overSelection: 1, deadlineMs: null, minReplies: 1 };
const update = (clientId: string, numSamples: number, staleness: number, local: number[], base: number[]): BufferedUpdate => ({
  reply: { clientId, numSamples, meanLoss: 0, weights: { 'audio.w/kernel': Float32Array.from(local) } },
  staleness,
  base: { 'audio.w/kernel': Float32Array.from(base) },
});

/** Validates and resolves a scenario as the CLI does before training; returns the refusal. */
function refusal(input: ScenarioInput, set: string[] = []): ConfigError {
  try {
    const scenario = applyOverrides(validateScenario(input, 'my.ts'), set);
    buildRunConfig(scenario, loadScenarioData(scenario, 'my.ts'), 'my.ts');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('the scenario was accepted');
}
const fedbuffKit = (over: Partial<ScenarioInput> = {}) => kitScenario({ algorithm: { name: 'fedbuff', rounds: 3 }, ...over });

describe('FedBuff staleness weights (hand-computed)', () => {
  it('polynomial 1/(1+s)^a, and a = 0 is constant', () => {
    expect(stalenessWeight(0, 0.5)).toBe(1);
    expect(stalenessWeight(1, 0.5)).toBeCloseTo(1 / Math.SQRT2, 15);
    expect(stalenessWeight(3, 0.5)).toBe(0.5);
    expect(stalenessWeight(3, 1)).toBe(0.25);
    expect(stalenessWeight(4, 2)).toBe(1 / 25);
    for (const s of [0, 1, 7]) expect(stalenessWeight(s, 0)).toBe(1);
  });

  it('weights are s(τ) × sample share, not renormalised', () => {
    // Samples 10 and 30 (shares 0.25, 0.75); staleness 0 and 3 with a = 1: 0.25 × 1 and 0.75 × 1/4.
    const w = bufferWeights([update('a', 10, 0, [0], [0]), update('b', 30, 3, [0], [0])], 1);
    expect(w).toEqual([0.25, 0.1875]);
  });

  it('a step adds η × Σ w (local − base), each delta against the version its client started from', () => {
    const global = { 'audio.w/kernel': Float32Array.from([1, 2]), 'audioHead.w/kernel': Float32Array.from([5]) };
    // a: fresh, base = global, local − base = (+1, −1); b: stale by 1, base (0, 0), local − base = (2, 4).
    const updates = [update('a', 1, 0, [2, 1], [1, 2]), update('b', 1, 1, [2, 4], [0, 0])];
    const weights = bufferWeights(updates, 1); // [0.5, 0.25]
    expect(weights).toEqual([0.5, 0.25]);
    const out = applyDeltas(global, updates, weights, 2);
    // 1 + 2 × (0.5 × 1 + 0.25 × 2) = 3;  2 + 2 × (0.5 × −1 + 0.25 × 4) = 3
    expect([...out['audio.w/kernel']]).toEqual([3, 3]);
    // A module no update carries keeps its very array.
    expect(out['audioHead.w/kernel']).toBe(global['audioHead.w/kernel']);
  });

  it('with every update fresh and η = 1 a step is FedAvg of the models', () => {
    const base = { 'audio.w/kernel': Float32Array.from([0, 0]) };
    const state = { ...fedbuff.init(base, { seed: 1, hyper: {} as never, rounds: [2], params: {} }), global: base };
    const replies = [
      { clientId: 'a', numSamples: 1, meanLoss: 0, weights: { 'audio.w/kernel': Float32Array.from([4, 0]) } },
      { clientId: 'b', numSamples: 3, meanLoss: 0, weights: { 'audio.w/kernel': Float32Array.from([0, 8]) } },
    ];
    const next = fedbuff.aggregate(state, replies, 0, { seed: 1, hyper: {} as never, rounds: [2], params: { stalenessExponent: 0.5, globalLr: 1 } });
    expect([...next.global['audio.w/kernel']]).toEqual([1, 6]);
    expect(next.roundInPhase).toBe(1);
  });
});

describe('FedBuff parameters', () => {
  it('defaults: C from clientsPerRound of the population, K = ⌈C/2⌉, a = 0.5, η = 1, every step scored', () => {
    expect(fedbuffConfig({}, rules, {}, 20, 'x')).toEqual({ concurrency: 5, bufferSize: 3, stalenessExponent: 0.5, globalLr: 1, evalEvery: 1 });
    expect(fedbuffConfig({ concurrency: 4, bufferSize: 6, stalenessExponent: 0 }, rules, {}, 20, 'x')).toMatchObject({ concurrency: 4, bufferSize: 6, stalenessExponent: 0 });
  });

  it('refuses round-only options and settings it cannot apply, naming the field and value', () => {
    expect(refusal(fedbuffKit({ rounds: { clientsPerRound: 2, overSelection: 1.5 } })).message).toBe(
      'my.ts: rounds.overSelection = 1.5 is invalid: 1 for fedbuff (it has no rounds to over-select; algorithm.params.concurrency sets how many clients train at once)',
    );
    expect(refusal(fedbuffKit({ rounds: { clientsPerRound: 2, minReplies: 2 } })).field).toBe('rounds.minReplies');
    expect(refusal(fedbuffKit({ rounds: { clientsPerRound: 2, fractionOf: 'eligible' } })).field).toBe('rounds.fractionOf');
    const fedopt = refusal(fedbuffKit(), ['serverOptimizer=fedopt']);
    expect(fedopt.field).toBe('server.optimizer');
    expect(fedopt.value).toBe('fedopt');
    expect(refusal(fedbuffKit(), ['aggregator=median']).field).toBe('server.aggregator.name');
    expect(refusal(fedbuffKit({ algorithm: { name: 'fedbuff', rounds: 3, params: { concurrency: 9 } } })).message).toBe(
      'my.ts: algorithm.params.concurrency = 9 is invalid: at most the population (4 clients)',
    );
  });

  it('refuses bad values through --set, naming the flag', () => {
    const scenario = validateScenario(fedbuffKit(), 'my.ts');
    expect(() => applyOverrides(scenario, ['bufferSize=1.5'])).toThrow("--set bufferSize=1.5: algorithm.params.bufferSize = 1.5 is invalid: FedBuff's updates per server step K, an integer >= 0");
    expect(() => applyOverrides(scenario, ['stalenessExponent=-1'])).toThrow(/algorithm\.params\.stalenessExponent = -1 is invalid/);
    expect(() => applyOverrides(scenario, ['globalLr=0'])).toThrow(/algorithm\.params\.globalLr = 0 is invalid/);
    expect(() => applyOverrides(scenario, ['evalEvery=0'])).toThrow(/algorithm\.params\.evalEvery = 0 is invalid/);
  });

  it('the work estimate counts K + C tasks per server step, not the round rules', () => {
    const scenario = applyOverrides(validateScenario(fedbuffKit({ rounds: { clientsPerRound: 1 } }), 'my.ts'), ['concurrency=3', 'bufferSize=2', 'rounds=10']);
    const estimate = estimateWork(buildRunConfig(scenario, loadScenarioData(scenario, 'my.ts'), 'my.ts'));
    expect(estimate.factors.rounds).toBe(10);
    expect(estimate.factors.clientsPerRound).toBe(5);
  });
});
