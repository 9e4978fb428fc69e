import { describe, expect, it } from 'vitest';
import { hashValue } from '../../src/core/codec.js';
import { runInMemory } from '../../src/testing/index.js';
import { kitScenario } from '../helpers/kit-scenario.js';

// A finding the comparison shows, checked on a small case: Harmony's audio-only model is its stage-1
// audio model, and modality-wise FL trains and averages the audio path exactly as UniFL does (same
// clients sampled from the same streams, same step seeds, audio modules averaged over the same
// replies). So the two report the same audio-only model, bit for bit.
describe('Harmony stage 1 vs UniFL', () => {
  it('give bitwise-identical audio models', async () => {
    const base = { videoMissingRate: 0.5, rounds: { clientsPerRound: 2 } };
    const unifl = await runInMemory(kitScenario({ ...base, algorithm: { name: 'unifl', rounds: 3 } }));
    const harmony = await runInMemory(kitScenario({ ...base, algorithm: { name: 'harmony', rounds: 3 } }));
    expect(harmony.result.rounds.filter((r) => r.phase === 'modality-wise').map((r) => r.selected)).toEqual(unifl.result.rounds.map((r) => r.selected));
    expect(hashValue(harmony.result.finalWeights.audio)).toBe(hashValue(unifl.result.finalWeights.audio));
    expect(harmony.result.headline?.accuracy).toBe(unifl.result.headline?.accuracy);
  });
});
