/** UniFL with lognormal device speeds, a slow device class and a round deadline: stragglers are cut. No event is tied to a phase, so every method runs it. */
import { defineScenario } from '../src/scenario/schema.js';
import { FEDMULTIMODAL_TRAINING, SMALL_MODEL, SMALL_SYNTHETIC } from './_shared.js';

export default defineScenario({
  name: 'stragglers',
  summary: 'UniFL; lognormal device speeds (sigma 0.8), 20% old phones at 0.2x, 1.5 s deadline, 1.5x over-selection',
  seed: 1,
  data: SMALL_SYNTHETIC,
  videoMissingRate: 0.5,
  model: SMALL_MODEL,
  algorithm: { name: 'unifl', rounds: 20 },
  training: FEDMULTIMODAL_TRAINING,
  rounds: { clientsPerRound: 0.25, overSelection: 1.5, deadlineMs: 1_500, minReplies: 2 },
  population: { deviceSpeedSigma: 0.8, deviceClasses: [{ name: 'old-phone', share: 0.2, speed: 0.2 }] },
});
