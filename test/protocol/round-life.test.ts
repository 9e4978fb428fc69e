import { describe, expect, it } from 'vitest';
import { runSimulation } from '../../src/engine/run-simulation.js';
import { FakeTrainer } from '../../src/train/fake-trainer.js';
import { unifl } from '../../src/strategies/unifl.js';
import { fakeConfig } from '../helpers/fake-config.js';

const trainer = (config = fakeConfig(unifl)) => new FakeTrainer({ labels: config.dataset.store.labels, numClasses: 3 });

describe('a round on the virtual clock', () => {
  it('opens, trains the sampled clients, aggregates, evaluates, and ends', async () => {
    const config = fakeConfig(unifl);
    const result = await runSimulation(config, trainer(config));
    const simple = result.trace.map((r) => `${r.atMs} ${r.from}->${r.to} ${r.type}`);
    // Round 0: the server asks two clients; each completes after download + compute; replies come back after upload.
    expect(simple[0]).toBe('0 world->server run/start');
    const requests = result.trace.filter((r) => r.type === 'train/request' && r.msg.round === 0);
    expect(requests).toHaveLength(2);
    expect(requests.every((r) => r.atMs === 0)).toBe(true);
    const dones = result.trace.filter((r) => r.type === 'train/done' && r.msg.round === 0);
    expect(dones.map((r) => r.to).sort()).toEqual(requests.map((r) => r.to).sort());
    // download (50 ms latency + bytes) + 5 samples × 2 ms compute: strictly after the request.
    expect(dones.every((r) => r.atMs > 50 + 10)).toBe(true);
    const replies = result.trace.filter((r) => r.type === 'train/reply' && r.msg.round === 0);
    expect(replies.every((r) => r.atMs >= dones[0].atMs + 50)).toBe(true);
    // The round closes at the last reply: the next round starts exactly then.
    const round1 = result.trace.find((r) => r.type === 'round/start' && r.msg.round === 1)!;
    expect(round1.atMs).toBe(Math.max(...replies.map((r) => r.atMs)));
    // Time never goes back, and the run ends with run/end and evaluations of both rounds.
    for (let i = 1; i < result.trace.length; i++) expect(result.trace[i].atMs).toBeGreaterThanOrEqual(result.trace[i - 1].atMs);
    expect(result.trace.some((r) => r.type === 'run/end')).toBe(true);
    expect(result.evals.map((e) => e.round)).toEqual([0, 1]);
    expect(result.rounds.map((r) => [r.round, r.status, r.succeeded.length])).toEqual([[0, 'ok', 2], [1, 'ok', 2]]);
  });

  it('samples each round from its own stream: the same seed gives the same trace, another seed another', async () => {
    const a = await runSimulation(fakeConfig(unifl), trainer());
    const b = await runSimulation(fakeConfig(unifl), trainer());
    const c = await runSimulation(fakeConfig(unifl, { seed: 8, settings: { ...fakeConfig(unifl).settings, seed: 8 } }), trainer());
    expect(a.traceHash).toBe(b.traceHash);
    expect(a.weightsHash).toBe(b.weightsHash);
    expect(c.traceHash).not.toBe(a.traceHash);
  });

  it('records a crashed training task as a failed client with its reason, and keeps going', async () => {
    const config = fakeConfig(unifl);
    const failing = new FakeTrainer({ labels: config.dataset.store.labels, numClasses: 3, failSeeds: ['/train/'] });
    // Every task fails (each with its own reason), so no round succeeds: returned as data here
    // (runSimulation's default throws; see test/engine/untrained-run.test.ts).
    const result = await runSimulation(config, failing, { onUntrained: 'return' });
    expect(result.complete).toBe(false);
    expect(result.rounds[0].failed.length).toBe(2);
    expect(result.rounds[0].failed[0].reason).toMatch(/training failed: fake failure/);
    expect(result.rounds[0].status).toBe('failed');
    expect(result.rounds).toHaveLength(2);
  });
});
