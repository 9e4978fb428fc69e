/**
 * The default scenario: UniFL on the built-in synthetic audio-visual dataset (10 classes, 20 clients,
 * Dirichlet alpha 0.5, half the clients without video), small models so it runs in minutes on 2 cores.
 */
import { defineScenario } from '../src/scenario/schema.js';

export default defineScenario({
  name: 'default',
  summary: 'UniFL on the synthetic audio-visual dataset: 20 clients, 25% per round, half without video',
  seed: 1,
  data: { kind: 'synthetic', seed: 1, numClasses: 10, samplesPerClass: 200, numClients: 20, alpha: 0.5 },
  videoMissingRate: 0.5,
  model: { convChannels: [16, 32], kernelSize: 5, audioGruUnits: 32, videoGruUnits: 32, headHidden: 32, dropout: 0.1 },
  algorithm: { name: 'unifl', rounds: 20 },
  training: { epochs: 1, batchSize: 16, lr: 0.05, momentum: 0.9, weightDecay: 1e-5, clipNorm: 10 },
  rounds: { clientsPerRound: 0.25 },
});
