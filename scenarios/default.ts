/**
 * The default scenario: UniFL on the built-in synthetic audio-visual dataset (10 classes, 20 clients,
 * Dirichlet alpha 0.5, half the clients without video), small models so it runs in minutes on 2 cores.
 */
import { defineScenario } from '../src/scenario/schema.js';
import { FEDMULTIMODAL_TRAINING, SMALL_MODEL, SMALL_SYNTHETIC } from './_shared.js';

export default defineScenario({
  name: 'default',
  summary: 'UniFL on the synthetic audio-visual dataset: 20 clients, 25% per round, half without video',
  seed: 1,
  data: SMALL_SYNTHETIC,
  videoMissingRate: 0.5,
  model: SMALL_MODEL,
  algorithm: { name: 'unifl', rounds: 40 },
  training: FEDMULTIMODAL_TRAINING,
  rounds: { clientsPerRound: 0.25 },
});
