import { describe, expect, it } from 'vitest';
import { runInMemory } from '../../src/testing/index.js';
import type { ScenarioInput } from '../../src/scenario/schema.js';
import type { RoundRecord } from '../../actors/round-record.js';
import type { TraceRecord } from '../../src/sim/trace.js';
import { kitScenario } from '../helpers/kit-scenario.js';

const DATA: ScenarioInput['data'] = { kind: 'synthetic', seed: 1, numClasses: 3, samplesPerClass: 30, numClients: 6, alpha: 5, minSamplesPerClient: 3, audioFrames: 4, audioDims: 2, videoFrames: 2, videoDims: 2 };

/** A FedBuff kit scenario: 6 clients, equal device speeds, C and K and a as given. */
function buffScenario(params: Record<string, number>, over: Partial<ScenarioInput> = {}): ScenarioInput {
  return kitScenario({ name: 'fedbuff-kit', data: DATA, algorithm: { name: 'fedbuff', rounds: 6, params }, rounds: { clientsPerRound: 1 }, ...over });
}

/** Tasks in flight over the trace: a request delivered opens one, an end delivered to the server closes it. */
function maxInFlight(trace: readonly TraceRecord[]): number {
  const open = new Set<number>();
  let max = 0;
  for (const r of trace) {
    if (r.type === 'train/request' && r.from === 'server') open.add(r.msg.round as number);
    if (r.to === 'server' && (r.type === 'train/reply' || r.type === 'train/failed')) open.delete(r.msg.round as number);
    if (r.type === 'task/timeout') open.delete(r.msg.task as number);
    max = Math.max(max, open.size);
  }
  return max;
}

/** Checks a step's contributions: weights (1+s)^-a × sample share; staleness = step − version when no step failed. */
function checkWeights(record: RoundRecord, a: number): void {
  const c = record.contributions!;
  const samples = c.reduce((s, x) => s + x.numSamples, 0);
  for (const x of c) {
    expect(x.weight).toBeCloseTo(Math.pow(1 + x.staleness, -a) * (x.numSamples / samples), 12);
    expect(x.staleness).toBe(record.round - x.version);
  }
}

describe('FedBuff on the virtual clock (fake trainer)', () => {
  it('K arrivals make one server step, weighted by staleness; concurrency is never exceeded', async () => {
    const { result, config } = await runInMemory(buffScenario({ concurrency: 3, bufferSize: 2, stalenessExponent: 1 }, { population: { jitterSigma: 0.2, deviceSpeedSigma: 0.8 } }));
    expect(result.complete).toBe(true);
    expect(config.strategy.driver).toBe('buffered');
    expect(result.rounds).toHaveLength(6);
    for (const r of result.rounds) {
      expect(r.status).toBe('ok');
      expect(r.succeeded).toHaveLength(2);
      expect(r.contributions!.map((c) => c.clientId)).toEqual(r.succeeded);
      // The step closes on its K-th arrival.
      expect(r.closedAtMs).toBe(Math.max(...r.contributions!.map((c) => c.arrivedAtMs)));
      checkWeights(r, 1);
    }
    // Some update was stale and got less than its sample share.
    expect(result.rounds.flatMap((r) => r.contributions!).some((c) => c.staleness >= 1)).toBe(true);
    expect(maxInFlight(result.trace)).toBe(3);
    // Every step was scored; the run ended after the budget.
    expect(result.evals.map((e) => e.round)).toEqual([0, 1, 2, 3, 4, 5]);
    // Tasks still training at the end are recorded late, not lost.
    const last = result.rounds[5];
    expect(last.late.length).toBeGreaterThan(0);
    expect(last.late.every((o) => /still training when the run ended/.test(o.reason))).toBe(true);
  });

  it("a straggler's update arrives stale and weighs less; constant staleness (a = 0) weighs by samples only", async () => {
    const straggler: Partial<ScenarioInput> = {
      population: { jitterSigma: 0 },
      timeline: [{ type: 'slowdown', at: { round: 0 }, target: { clients: ['0'] }, factor: 5 }],
    };
    for (const a of [0.5, 0]) {
      const { result } = await runInMemory(buffScenario({ concurrency: 6, bufferSize: 2, stalenessExponent: a }, straggler));
      const slow = result.rounds.flatMap((r) => r.contributions!.filter((c) => c.clientId === '0').map((c) => ({ ...c, step: r.round })));
      expect(slow.length).toBeGreaterThan(0);
      // Dispatched at t = 0 (version 0), applied several steps later.
      expect(slow[0].version).toBe(0);
      expect(slow[0].staleness).toBeGreaterThanOrEqual(2);
      for (const r of result.rounds) checkWeights(r, a);
      const step = result.rounds[slow[0].step];
      const share = slow[0].numSamples / step.contributions!.reduce((s, c) => s + c.numSamples, 0);
      if (a === 0) expect(slow[0].weight).toBeCloseTo(share, 12);
      else expect(slow[0].weight).toBeCloseTo(share / Math.sqrt(1 + slow[0].staleness), 12);
    }
  });

  it('a client that drops mid-task is recorded dropped, never aggregated, and its slot is refilled at once', async () => {
    const { result, trace } = await runInMemory(buffScenario({ concurrency: 3, bufferSize: 2 }, {
      population: { jitterSigma: 0 },
      timeline: [{ type: 'dropout', at: { timeMs: 5 }, target: { clients: ['0', '1', '2', '3', '4'] }, durationMs: 40, reason: 'network outage' }],
    }));
    expect(result.complete).toBe(true);
    const first = result.rounds[0];
    // Tasks running at t = 5 on dropped clients were lost, with the scenario's reason.
    const midTask = first.dropped.filter((o) => o.reason === 'dropped mid-round: network outage');
    expect(midTask.length).toBeGreaterThan(0);
    expect(midTask.every((o) => o.atMs === 5 && o.task !== undefined)).toBe(true);
    const lost = new Set(midTask.map((o) => o.task));
    expect(result.rounds.flatMap((r) => r.contributions!).some((c) => lost.has(c.task))).toBe(false);
    // Their slots were refilled at t = 5: the new requests reached offline clients, which refused at once
    // (recorded too), and no client was asked twice at that instant.
    const refills = trace.ofType('train/request').between(5, 5).count();
    const refused = first.dropped.filter((o) => o.reason === 'offline when selected');
    expect(refills).toBe(refused.length);
    expect(refused.length).toBeGreaterThanOrEqual(midTask.length);
    expect(new Set(refused.map((o) => o.clientId)).size).toBe(refused.length);
    // The step still closed on K updates, and the accounting adds up: one entry per ended task.
    expect(first.status).toBe('ok');
    expect(first.selected).toHaveLength(first.succeeded.length + first.dropped.length + first.late.length + first.failed.length + first.rejected.length);
    expect(result.rounds.every((r) => r.status === 'ok')).toBe(true);
  });

  it('when every client is offline and nothing is in flight, the step fails and keeps the model', async () => {
    const { result } = await runInMemory(buffScenario({ concurrency: 3, bufferSize: 2 }, {
      algorithm: { name: 'fedbuff', rounds: 2, params: { concurrency: 3, bufferSize: 2 } },
      population: { jitterSigma: 0 },
      timeline: [{ type: 'dropout', at: { timeMs: 5 }, target: { rate: 1 }, reason: 'blackout' }],
    }));
    expect(result.complete).toBe(false);
    expect(result.rounds.map((r) => r.status)).toEqual(['failed', 'failed']);
    expect(result.rounds[0].reason).toMatch(/^no eligible client is free to train; model kept/);
    expect(result.failure?.kind).toBe('no-round-succeeded');
  });

  it('a per-task deadline discards a late update and refills its slot; the later arrival is noted', async () => {
    const { result } = await runInMemory(buffScenario({ concurrency: 2, bufferSize: 1 }, {
      rounds: { clientsPerRound: 1, deadlineMs: 150 },
      population: { jitterSigma: 0 },
      timeline: [{ type: 'slowdown', at: { round: 0 }, target: { rate: 1 }, factor: 1 }, { type: 'slowdown', at: { round: 0 }, target: { clients: ['0', '3'] }, factor: 20 }],
    }), { computeDoomed: true });
    const late = result.rounds.flatMap((r) => r.late).filter((o) => /no update within the deadline of 150ms/.test(o.reason));
    expect(late.length).toBeGreaterThan(0);
    for (const o of late) {
      expect(['0', '3']).toContain(o.clientId);
      expect(o.reason).toMatch(/update arrived at t=[\d.]+ms, discarded$/);
    }
    expect(result.rounds.flatMap((r) => r.contributions!).every((c) => c.clientId !== '0' && c.clientId !== '3')).toBe(true);
  });

  it('evalEvery N scores every N-th server step and the last one', async () => {
    const { result } = await runInMemory(buffScenario({ concurrency: 3, bufferSize: 2, evalEvery: 2 }, { algorithm: { name: 'fedbuff', rounds: 5, params: { concurrency: 3, bufferSize: 2, evalEvery: 2 } } }));
    expect(result.rounds).toHaveLength(5);
    expect(result.evals.map((e) => e.round)).toEqual([1, 3, 4]);
    expect(result.evals.map((e) => e.atMs)).toEqual([1, 3, 4].map((i) => result.rounds[i].closedAtMs));
  });

  it('replays to the same trace hash', async () => {
    const scenario = buffScenario({ concurrency: 3, bufferSize: 2 }, { population: { jitterSigma: 0.3, deviceSpeedSigma: 0.5 }, timeline: [{ type: 'linkLoss', at: { round: 1 }, target: { clients: ['2'] }, probability: 0.5 }] });
    const one = await runInMemory(scenario);
    const two = await runInMemory(scenario);
    expect(two.result.traceHash).toBe(one.result.traceHash);
    expect(two.result.weightsHash).toBe(one.result.weightsHash);
    const other = await runInMemory({ ...scenario, seed: 12 });
    expect(other.result.traceHash).not.toBe(one.result.traceHash);
  });
});
