import { describe, expect, it } from 'vitest';
import { serverStep } from '../../src/strategies/server-optimizer.js';
import { advanceRound } from '../../src/strategies/strategy.js';
import { runInMemory } from '../../src/testing/index.js';
import { kitScenario } from '../helpers/kit-scenario.js';

const f = (...v: number[]) => Float32Array.from(v);

describe('server optimiser', () => {
  it('FedAvg takes the average as it is', () => {
    const averaged = { 'audio.w/kernel': f(1) };
    expect(serverStep({ 'audio.w/kernel': f(0) }, averaged, {}, { kind: 'fedavg' }).weights).toBe(averaged);
  });

  it('FedOpt steps along the pseudo-gradient with momentum (hand-computed)', () => {
    const opt = { kind: 'fedopt' as const, lr: 0.5, momentum: 0.9 };
    const untouched = f(7);
    // Round 1: pseudo-gradient g = 1 − 0.6 = 0.4; m = 0.4; w = 1 − 0.5·0.4 = 0.8.
    const one = serverStep({ 'a.w/k': f(1), 'b.w/k': untouched }, { 'a.w/k': f(0.6), 'b.w/k': untouched }, {}, opt);
    expect(one.weights['a.w/k'][0]).toBeCloseTo(0.8, 6);
    expect(one.weights['b.w/k']).toBe(untouched); // no reply touched it: no step, no momentum
    expect(one.momentum['b.w/k']).toBeUndefined();
    // Round 2: g = 0.8 − 0.7 = 0.1; m = 0.9·0.4 + 0.1 = 0.46; w = 0.8 − 0.5·0.46 = 0.57.
    const two = serverStep(one.weights, { 'a.w/k': f(0.7), 'b.w/k': untouched }, one.momentum, opt);
    expect(two.momentum['a.w/k'][0]).toBeCloseTo(0.46, 6);
    expect(two.weights['a.w/k'][0]).toBeCloseTo(0.57, 6);
  });

  it('restarts its momentum when a phase ends', () => {
    const settings = { seed: 1, rounds: [2, 2], params: {}, hyper: { epochs: 1, batchSize: 1, lr: 0.1, momentum: 0, weightDecay: 0, clipNorm: 0 } };
    const m = { 'audio.w/k': f(0.4) };
    expect(advanceRound({ phaseIndex: 0, roundInPhase: 0, serverMomentum: m }, settings).serverMomentum).toBe(m);
    expect(advanceRound({ phaseIndex: 0, roundInPhase: 1, serverMomentum: m }, settings)).toEqual({ phaseIndex: 1, roundInPhase: 0, serverMomentum: {} });
  });

  it('is selected from the scenario and changes the result', async () => {
    const scenario = kitScenario({ algorithm: { name: 'modality-mirror', rounds: 2 } });
    const fedavg = await runInMemory(scenario);
    const fedopt = await runInMemory(scenario, { set: ['serverOptimizer=fedopt', 'serverLr=0.5'] });
    expect(fedopt.result.weightsHash).not.toBe(fedavg.result.weightsHash);
    expect(fedopt.config.settings.server).toEqual({ kind: 'fedopt', lr: 0.5, momentum: 0.9 });
    expect(fedavg.config.settings.server).toEqual({ kind: 'fedavg' });
  });
});
