import { describe, expect, it } from 'vitest';
import { runInMemory } from '../../src/testing/index.js';
import type { FakeTrainer } from '../../src/train/fake-trainer.js';
import { kitScenario } from '../helpers/kit-scenario.js';

describe('scripted events, checked through the protocol-testing kit', () => {
  it('a client that drops mid-round loses its update; skipping the doomed work changes nothing', async () => {
    const scenario = kitScenario({ timeline: [{ type: 'dropout', at: { round: 1, offsetMs: 10 }, target: { clients: ['1'] } }] });
    const run = await runInMemory(scenario);
    const round1 = run.result.rounds[1];
    expect(round1.dropped.map((d) => d.clientId)).toEqual(['1']);
    expect(round1.dropped[0].reason).toMatch(/dropped mid-round/);
    expect(round1.succeeded).not.toContain('1');
    const t = round1.startedAtMs;
    const t10 = Math.round((t + 10) * 1000) / 1000;
    expect(run.trace.client('1').between(t, t10).lines()).toEqual([
      `t=${t} server -> client-1 train/request r1`,
      `t=${t10} world -> client-1 client/dropout (scenario dropout)`,
      `t=${t10} client-1 -> server train/failed r1 dropped (dropped mid-round: scenario dropout)`,
    ]);
    // Offline from then on: in round 2 it is recorded as dropped when selected.
    expect(run.result.rounds[2].dropped).toEqual([expect.objectContaining({ clientId: '1', reason: 'offline when selected' })]);
    // The doomed update was never computed …
    const trainer = (await import('../../src/train/fake-trainer.js')).FakeTrainer;
    const counting = new trainer({ labels: run.config.dataset.store.labels, numClasses: 3 });
    const skipped = await runInMemory(scenario, { trainer: counting });
    expect(counting.trained.some((t) => t.seed.includes('/train/1/1/'))).toBe(false);
    // … and computing it anyway gives the same weights and the same accounting.
    const forced = await runInMemory(scenario, { computeDoomed: true });
    expect(forced.result.weightsHash).toBe(skipped.result.weightsHash);
    expect(forced.result.rounds).toEqual(skipped.result.rounds);
  });

  it('a reply after the deadline is recorded late and not aggregated', async () => {
    const scenario = kitScenario({
      rounds: { clientsPerRound: 4, deadlineMs: 2_000 },
      timeline: [{ type: 'slowdown', at: { round: 0 }, target: { clients: ['2'] }, factor: 1_000 }],
    });
    const forced = await runInMemory(scenario, { computeDoomed: true });
    const round0 = forced.result.rounds[0];
    expect(round0.closedAtMs).toBe(2_000);
    expect(round0.late.map((l) => l.clientId)).toEqual(['2']);
    expect(round0.late[0].reason).toMatch(/no reply by the deadline at t=2000ms; update arrived at t=[\d.]+ms, discarded/);
    expect(round0.succeeded.sort()).toEqual(['0', '1', '3']);
    // The late reply reached the server after round 0 closed, and round 0's average excluded it.
    const lateReply = forced.trace.ofType('train/reply').client('2').round(0).first()!;
    expect(lateReply.atMs).toBeGreaterThan(2_000);
    const skipped = await runInMemory(scenario);
    expect(skipped.result.weightsHash).toBe(forced.result.weightsHash);
    expect(skipped.result.rounds[0].late[0].reason).toMatch(/not computed/);
  });

  it('modality loss in phase 2 removes the client from distillation', async () => {
    const scenario = kitScenario({
      algorithm: { name: 'modality-mirror', rounds: 2 },
      timeline: [{ type: 'modalityLoss', modality: 'video', at: { phase: 'distillation' }, target: { clients: ['0'] } }],
    });
    const run = await runInMemory(scenario);
    const phase1 = run.result.rounds.filter((r) => r.phase === 'modality-wise');
    const phase2 = run.result.rounds.filter((r) => r.phase === 'distillation');
    expect(phase1.every((r) => r.selected.includes('0'))).toBe(true);
    expect(phase2.length).toBe(2);
    expect(phase2.every((r) => !r.selected.includes('0') && r.selected.length === 3)).toBe(true);
    expect(run.trace.ofType('client/status').lines()).toEqual([expect.stringMatching(/world -> server client\/status client 0$/)]);
  });

  it('a timed dropout ends with a rejoin, and the client trains again', async () => {
    const scenario = kitScenario({
      algorithm: { name: 'unifl', rounds: 4 },
      timeline: [{ type: 'dropout', at: { round: 0 }, target: { clients: ['3'] }, durationRounds: 2 }],
    });
    const run = await runInMemory(scenario);
    expect(run.result.rounds.map((r) => r.succeeded.includes('3'))).toEqual([false, false, true, true]);
    expect(run.result.rounds[0].dropped).toEqual([expect.objectContaining({ clientId: '3', reason: 'offline when selected' })]);
    expect(run.trace.ofType('client/rejoin').lines()).toEqual([expect.stringMatching(/world -> client-3 client\/rejoin \(end of timed dropout/)]);
  });

  it('over-selection keeps the first K replies and records the rest as late', async () => {
    const scenario = kitScenario({ rounds: { clientsPerRound: 2, overSelection: 2 }, population: { jitterSigma: 0.5 } });
    const run = await runInMemory(scenario);
    for (const r of run.result.rounds) {
      expect(r.selected).toHaveLength(4);
      expect(r.succeeded).toHaveLength(2);
      expect(r.late).toHaveLength(2);
      expect(r.late[0].reason).toMatch(/first 2 replies kept/);
    }
  });

  it('a round with fewer replies than the minimum fails and keeps the global model', async () => {
    const scenario = kitScenario({
      rounds: { clientsPerRound: 4, minReplies: 4 },
      timeline: [{ type: 'dropout', at: { round: 1 }, target: { clients: ['0'] }, durationRounds: 1 }],
    });
    const run = await runInMemory(scenario);
    expect(run.result.rounds.map((r) => r.status)).toEqual(['ok', 'failed', 'ok']);
    expect(run.result.rounds[1].reason).toMatch(/3 accepted replies, fewer than the minimum 4/);
    const evals = run.result.evals;
    // The model scored after the failed round is the one from before it.
    expect(evals[1].scores.audio.test).toEqual(evals[0].scores.audio.test);
  });
});

describe('doomed work and lossy links', () => {
  it('an update lost on the link after the deadline counts as late whether or not it was computed', async () => {
    // Client 2's link adds 1 s each way: it finishes training before the 1.5 s deadline, but its
    // upload would land after it, and the link loses it anyway.
    const scenario = kitScenario({
      rounds: { clientsPerRound: 4, deadlineMs: 1_500 },
      timeline: [
        { type: 'linkDelay', at: { round: 0 }, target: { clients: ['2'] }, delayMs: 1_000 },
        { type: 'linkLoss', at: { round: 0 }, target: { clients: ['2'] }, probability: 1 },
      ],
    });
    const skipped = await runInMemory(scenario);
    const forced = await runInMemory(scenario, { computeDoomed: true });
    for (const run of [skipped, forced]) {
      expect(run.result.rounds[0].late.map((l) => l.clientId)).toEqual(['2']);
      expect(run.result.rounds[0].dropped).toEqual([]);
    }
    expect(forced.result.rounds[0].late[0].reason).toMatch(/update lost on the link/);
    expect(forced.result.weightsHash).toBe(skipped.result.weightsHash);
  });
});
