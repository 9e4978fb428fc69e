/** MultiFL over flaky links: 30% of clients get +300 ms delay, 25% lose 30% of their uploads. */
import { defineScenario } from '../src/scenario/schema.js';
import { FEDMULTIMODAL_TRAINING, SMALL_MODEL, SMALL_SYNTHETIC } from './_shared.js';

export default defineScenario({
  name: 'flaky-links',
  summary: 'MultiFL; 30% of clients get +300 ms link delay, 25% lose 30% of their uploads, 2 s deadline',
  seed: 1,
  data: SMALL_SYNTHETIC,
  videoMissingRate: 0.5,
  model: SMALL_MODEL,
  algorithm: { name: 'multifl', rounds: 20 },
  training: FEDMULTIMODAL_TRAINING,
  rounds: { clientsPerRound: 0.25, deadlineMs: 2_000 },
  population: { bandwidthBytesPerMs: 500, latencyMs: 80 },
  timeline: [
    { type: 'linkDelay', at: { round: 0 }, target: { rate: 0.3 }, delayMs: 300 },
    { type: 'linkLoss', at: { round: 0 }, target: { rate: 0.25 }, probability: 0.3 },
  ],
});
