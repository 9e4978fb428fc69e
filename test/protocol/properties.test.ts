import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STRATEGIES, STRATEGY_NAMES } from '../../src/strategies/registry.js';
import { runInMemory } from '../../src/testing/index.js';
import type { ScenarioInput } from '../../src/scenario/schema.js';
import { kitScenario } from '../helpers/kit-scenario.js';

// Generated scenarios: any mix of dropouts, rejoins, slowdowns, link trouble, deadlines and
// over-selection, on every registered algorithm. fast-check prints the seed and the shrunk case on failure.
const clientId = fc.constantFrom('0', '1', '2', '3');
const at = fc.oneof(
  fc.record({ round: fc.integer({ min: 0, max: 3 }), offsetMs: fc.integer({ min: 0, max: 400 }) }),
  fc.record({ timeMs: fc.integer({ min: 0, max: 3_000 }) }),
);
const target = fc.oneof(fc.record({ clients: fc.uniqueArray(clientId, { minLength: 1, maxLength: 3 }) }), fc.record({ rate: fc.double({ min: 0, max: 1, noNaN: true }) }));
const event = fc.oneof(
  fc.record({ type: fc.constant('dropout' as const), at, target, durationRounds: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }) }),
  fc.record({ type: fc.constant('rejoin' as const), at, target }),
  fc.record({ type: fc.constant('slowdown' as const), at, target, factor: fc.double({ min: 0.5, max: 50, noNaN: true }) }),
  fc.record({ type: fc.constant('linkDelay' as const), at, target, delayMs: fc.integer({ min: 0, max: 500 }) }),
  fc.record({ type: fc.constant('linkLoss' as const), at, target, probability: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ type: fc.constant('modalityLoss' as const), at, target, modality: fc.constant('video' as const) }),
);
/** Whether `method` runs under the synchronous round loop (the default driver). */
const synchronous = (method: string) => (STRATEGIES[method].driver ?? 'rounds') === 'rounds';
const scenario = fc.record({
  method: fc.constantFrom(...STRATEGY_NAMES),
  seed: fc.integer({ min: 0, max: 1_000 }),
  clientsPerRound: fc.integer({ min: 1, max: 4 }),
  overSelection: fc.constantFrom(1, 1.5, 2),
  deadlineMs: fc.option(fc.integer({ min: 100, max: 3_000 }), { nil: null }),
  minReplies: fc.integer({ min: 1, max: 2 }),
  timeline: fc.array(event, { maxLength: 5 }),
}).map((g): ScenarioInput => kitScenario({
  seed: g.seed,
  videoMissingRate: 0.3,
  algorithm: { name: g.method, rounds: 2 },
  // A driver of its own (FedBuff's buffered one) refuses the round-only rules: over-selection, a reply minimum.
  rounds: synchronous(g.method)
    ? { clientsPerRound: g.clientsPerRound, overSelection: g.overSelection, deadlineMs: g.deadlineMs, minReplies: g.minReplies }
    : { clientsPerRound: g.clientsPerRound, overSelection: 1, deadlineMs: g.deadlineMs, minReplies: 1 },
  population: { jitterSigma: 0.3, deviceSpeedSigma: 0.5 },
  timeline: g.timeline.map((e) => (e.type === 'dropout' && e.durationRounds === undefined ? { type: e.type, at: e.at, target: e.target } : e)) as ScenarioInput['timeline'],
}));

describe('properties over generated scenarios (fake trainer)', () => {
  it('time never goes back, accounting adds up, and no update is aggregated twice or in another round', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (input) => {
        const { result, trace } = await runInMemory(input);
        for (let i = 1; i < result.trace.length; i++) expect(result.trace[i].atMs).toBeGreaterThanOrEqual(result.trace[i - 1].atMs);
        for (const r of result.rounds) {
          const accounted = [...r.succeeded, ...r.dropped.map((o) => o.clientId), ...r.late.map((o) => o.clientId), ...r.failed.map((o) => o.clientId)];
          expect(accounted.slice().sort()).toEqual(r.selected.slice().sort());
          // A buffered step records tasks, not clients: a client with two short tasks appears twice,
          // and a task's wire `round` is its task number. Its own checks are in test/protocol/fedbuff.test.ts.
          if (!synchronous(input.algorithm.name)) continue;
          expect(new Set(r.succeeded).size).toBe(r.succeeded.length);
          // Each accepted update is a reply of this round that reached the server while the round was open.
          for (const id of r.succeeded) {
            const replies = trace.ofType('train/reply').client(id).round(r.round).records;
            expect(replies).toHaveLength(1);
            expect(replies[0].atMs).toBeGreaterThanOrEqual(r.startedAtMs);
            expect(replies[0].atMs).toBeLessThanOrEqual(r.closedAtMs!);
          }
          expect(r.status === 'ok').toBe(r.succeeded.length >= (input.rounds?.minReplies ?? 1));
        }
        const total = result.rounds.length;
        expect(total).toBe(2 * STRATEGIES[input.algorithm.name].phases.length);
      }),
      { numRuns: 60, seed: 20261127 },
    );
  });

  it('a run is a pure function of its scenario, and computing doomed work changes no result', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (input) => {
        const [a, b] = [await runInMemory(input), await runInMemory(input)];
        expect(b.result.traceHash).toBe(a.result.traceHash);
        expect(b.result.weightsHash).toBe(a.result.weightsHash);
        const forced = await runInMemory(input, { computeDoomed: true });
        expect(forced.result.weightsHash).toBe(a.result.weightsHash);
        const categories = (rounds: typeof a.result.rounds) => rounds.map((r) => [r.status, r.succeeded, ...[r.dropped, r.late, r.failed].map((list) => list.map((o) => o.clientId).sort())]);
        expect(categories(forced.result.rounds)).toEqual(categories(a.result.rounds));
      }),
      { numRuns: 40, seed: 7 },
    );
  });
});
