/**
 * Misbehaving clients through the whole protocol: a NaN update is rejected and recorded with its
 * reason (accounting adds up with the new category), the global model stays finite; a sign-flipping
 * client drags FedAvg and not the median; the aggregator's exclusions are recorded in the round; a
 * global model that would become non-finite fails the round and keeps the previous model; a timed
 * misbehaviour ends by itself; replay is identical across worker counts with attackers present.
 */
import { describe, expect, it } from 'vitest';
import { buildRunConfig } from '../../src/engine/build-run-config.js';
import { loadScenarioData } from '../../src/scenario/prepare-dataset.js';
import { runSimulation } from '../../src/engine/run-simulation.js';
import { validateScenario } from '../../src/scenario/load-scenario.js';
import { applyOverrides } from '../../src/scenario/overrides.js';
import type { PhaseState, Strategy } from '../../src/strategies/strategy.js';
import { runInMemory } from '../../src/testing/index.js';
import { FakeTrainer } from '../../src/train/fake-trainer.js';
import { kitScenario } from '../helpers/kit-scenario.js';

const base = (timeline: unknown[], extra: Record<string, unknown> = {}) =>
  kitScenario({ algorithm: { name: 'unifl', rounds: 3 }, timeline: timeline as never, ...extra });
const finite = (weights: Record<string, Float32Array>) => Object.values(weights).every((w) => w.every(Number.isFinite));

describe('misbehaving clients', () => {
  it('a NaN update is rejected with its reason, never aggregated; accounting adds up', async () => {
    const { result, trace } = await runInMemory(base([{ type: 'misbehave', kind: 'nan', at: { round: 1 }, target: { clients: ['2'] } }]));
    expect(result.rounds[0].rejected).toEqual([]);
    for (const r of result.rounds.slice(1)) {
      expect(r.rejected.map((o) => o.clientId)).toEqual(['2']);
      expect(r.rejected[0].reason).toMatch(/^update rejected: audio: weight audio\.w\/kernel holds a non-finite value \(NaN at index 0\)/);
      expect(r.succeeded).not.toContain('2');
      expect(r.status).toBe('ok');
      expect(r.succeeded.length + r.dropped.length + r.late.length + r.failed.length + r.rejected.length).toBe(r.selected.length);
    }
    for (const w of Object.values(result.finalWeights)) expect(finite(w)).toBe(true);
    expect(trace.ofType('client/misbehave').count()).toBe(1);
  });

  it('a sign-flipping client drags FedAvg, not the coordinate-wise median, and the aggregator reports whom it left out', async () => {
    const attack = [{ type: 'misbehave', kind: 'sign-flip', factor: 50, at: { round: 0 }, target: { clients: ['1'] } }];
    const honest = (await runInMemory(base([]))).result.finalWeights;
    const distance = (w: Record<string, Record<string, Float32Array>>) => {
      let d = 0;
      for (const kind of Object.keys(honest)) for (const key of Object.keys(honest[kind])) honest[kind][key].forEach((v, i) => (d += (v - w[kind][key][i]) ** 2));
      return Math.sqrt(d);
    };
    const fedavg = (await runInMemory(base(attack))).result;
    const median = (await runInMemory(base(attack, { server: { aggregator: { name: 'median' } } }))).result;
    expect(distance(median.finalWeights)).toBeLessThan(distance(fedavg.finalWeights) / 5);
    const krum = (await runInMemory(base(attack, { server: { aggregator: { name: 'krum', f: 1 } } }))).result;
    for (const r of krum.rounds) {
      expect(r.aggregation?.some((n) => n.clientId === '1' && n.effect === 'excluded' && /krum score/.test(n.reason))).toBe(true);
    }
  });

  it('a timed misbehaviour ends by itself', async () => {
    const { result } = await runInMemory(base([{ type: 'misbehave', kind: 'nan', at: { round: 0 }, target: { clients: ['3'] }, durationRounds: 2 }], { algorithm: { name: 'unifl', rounds: 4 } }));
    expect(result.rounds.map((r) => r.rejected.length)).toEqual([1, 1, 0, 0]);
  });

  it('a global model that would become non-finite fails the round and keeps the previous model', async () => {
    const scenario = validateScenario(base([]), 'kit');
    const dataset = loadScenarioData(scenario, 'kit');
    const config = buildRunConfig(scenario, dataset, 'kit');
    const inner = config.strategy as Strategy<PhaseState & { global: Record<string, Float32Array> }>;
    // A strategy whose round-1 aggregate overflows (as a diverging server update would).
    const overflowing: Strategy<PhaseState> = {
      ...(inner as unknown as Strategy<PhaseState>),
      aggregate: (state, replies, round, settings) => {
        const next = inner.aggregate(state as never, replies, round, settings);
        if (round !== 1 || replies.length === 0) return next;
        const key = Object.keys(next.global)[0];
        return { ...next, global: { ...next.global, [key]: next.global[key].map(() => Number.POSITIVE_INFINITY) } } as never;
      },
    };
    const trainer = new FakeTrainer({ labels: dataset.store.labels, numClasses: 3 });
    const result = await runSimulation({ ...config, strategy: overflowing }, trainer, { onUntrained: 'return' });
    expect(result.rounds.map((r) => r.status)).toEqual(['ok', 'failed', 'ok']);
    expect(result.rounds[1].reason).toMatch(/^round 1: the aggregated model 'audio' is not finite \(module audio, audio\.w\/kernel\[0\] = Infinity\); global model kept$/);
    for (const w of Object.values(result.finalWeights)) expect(finite(w)).toBe(true);
  });

  it('replay is identical across 1 and 2 workers with attackers (noise, label-flip, scale) present', async () => {
    const { createTrainer } = await import('../../src/engine/create-trainer.js');
    const { loadScenarioFile } = await import('../../src/scenario/load-scenario.js');
    const file = await loadScenarioFile('scenarios/default.ts');
    const scenario = applyOverrides(
      validateScenario({ ...file, timeline: [
        { type: 'misbehave', kind: 'noise', sigma: 0.05, at: { round: 0 }, target: { clients: ['0'] } },
        { type: 'misbehave', kind: 'label-flip', at: { round: 0 }, target: { clients: ['1'] } },
        { type: 'misbehave', kind: 'scale', factor: 3, at: { round: 1 }, target: { clients: ['2'] } },
      ] } as never, 'default'),
      ['rounds=2', 'data.samplesPerClass=40', 'data.numClients=4', 'data.minSamplesPerClient=4', 'clientsPerRound=4', 'aggregator=median'],
    );
    const dataset = loadScenarioData(scenario, 'default');
    const config = buildRunConfig(scenario, dataset, 'default');
    const hashes: string[][] = [];
    for (const workers of [1, 2]) {
      const trainer = await createTrainer({ workers, backend: 'wasm' }, dataset.store, config.model);
      try {
        const r = await runSimulation(config, trainer, { retainTrace: false });
        expect(r.rounds.every((x) => x.status === 'ok')).toBe(true);
        hashes.push([r.traceHash, r.weightsHash]);
      } finally {
        await trainer.close();
      }
    }
    expect(hashes[1]).toEqual(hashes[0]);
  }, 120_000);
});
