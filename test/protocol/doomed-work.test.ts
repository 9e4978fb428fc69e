import { describe, expect, it } from 'vitest';
import type { ScenarioInput } from '../../src/scenario/schema.js';
import { FakeTrainer, runInMemory, type InMemoryOptions } from '../../src/testing/index.js';
import { kitScenario } from '../helpers/kit-scenario.js';

// Skipping work the clock already dooms must change nothing but the work: these are the edge cases
// an independent review found, each compared with the work computed anyway.
async function bothWays(scenario: ScenarioInput, options: (forced: boolean) => InMemoryOptions = () => ({})) {
  const skipped = await runInMemory(scenario, options(false));
  const forced = await runInMemory(scenario, { ...options(true), computeDoomed: true });
  const view = (run: typeof skipped) => run.result.rounds.map((r) => [r.startedAtMs, r.closedAtMs, r.status, r.succeeded, ...[r.dropped, r.late, r.failed].map((l) => l.map((o) => o.clientId).sort())]);
  expect(view(forced)).toEqual(view(skipped));
  expect(forced.result.weightsHash).toBe(skipped.result.weightsHash);
  return { skipped, forced };
}

describe('doomed work', () => {
  it('a dropout at the very instant training finishes dooms nothing', async () => {
    const base = kitScenario({ algorithm: { name: 'unifl', rounds: 2 } });
    const probe = await runInMemory(base);
    const finish = probe.trace.ofType('train/done').client('1').round(0).first()!.atMs;
    const { skipped } = await bothWays({ ...base, timeline: [{ type: 'dropout', at: { timeMs: finish }, target: { clients: ['1'] } }] });
    expect(skipped.result.rounds[0].succeeded).toContain('1');
  });

  it("Harmony's late fusion-stage work is computed, since the client keeps its encoders", async () => {
    await bothWays(kitScenario({
      algorithm: { name: 'harmony', rounds: 6 },
      rounds: { clientsPerRound: 4, deadlineMs: 500 },
      timeline: [
        { type: 'slowdown', at: { phase: 'fusion' }, target: { clients: ['2'] }, factor: 20 },
        { type: 'slowdown', at: { round: 7 }, target: { clients: ['2'] }, factor: 1 },
      ],
    }));
  });

  it('a training failure that would arrive after the deadline is late either way', async () => {
    const scenario = kitScenario({
      algorithm: { name: 'unifl', rounds: 3 },
      rounds: { clientsPerRound: 4, deadlineMs: 515 },
      timeline: [{ type: 'slowdown', at: { round: 0 }, target: { clients: ['2'] }, factor: 20 }],
    });
    const probe = await runInMemory(scenario);
    const labels = probe.config.dataset.store.labels;
    await bothWays(scenario, () => ({ trainer: new FakeTrainer({ labels, numClasses: 3, failSeeds: ['/train/2/0/'] }) }));
  });
});
