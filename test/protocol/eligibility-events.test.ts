import { describe, expect, it } from 'vitest';
import { runInMemory } from '../../src/testing/index.js';
import { kitScenario } from '../helpers/kit-scenario.js';

describe('eligibility follows the scenario events, kept incrementally by the server', () => {
  it('modality loss removes a client from the sample and restore brings it back; dropout and rejoin do not change who is sampled', async () => {
    const scenario = kitScenario({
      algorithm: { name: 'unifl', rounds: 4 },
      rounds: { clientsPerRound: 4 },
      timeline: [
        { type: 'modalityLoss', modality: 'audio', at: { round: 1 }, target: { clients: ['1'] } },
        { type: 'modalityRestore', modality: 'audio', at: { round: 3 }, target: { clients: ['1'] } },
        { type: 'dropout', at: { round: 1 }, target: { clients: ['2'] }, durationRounds: 1 },
      ],
    });
    const run = await runInMemory(scenario);
    const selected = run.result.rounds.map((r) => r.selected);
    expect(selected).toEqual([['0', '1', '2', '3'], ['0', '2', '3'], ['0', '2', '3'], ['0', '1', '2', '3']]);
    // The server samples by what clients announced (modalities), not by whether they are online: the
    // dropped client is still selected in round 1 and accounted as offline, then trains again after its rejoin.
    expect(run.result.rounds[1].dropped).toEqual([expect.objectContaining({ clientId: '2', reason: 'offline when selected' })]);
    expect(run.result.rounds[2].succeeded).toContain('2');
    // Determinism: the same scenario gives the same trace.
    expect((await runInMemory(scenario)).result.traceHash).toBe(run.result.traceHash);
  });
});
