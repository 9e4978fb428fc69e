/**
 * UCF101-sized synthetic data with FedMultimodal's models: 51 classes, ~7,000 clips, audio (500, 80),
 * video (10, 1280), 100 clients with Dirichlet alpha 0.1, 10% per round. A scale check, not a quick run.
 */
import { ucf101SizedParams } from '../src/data/synthetic-presets.js';
import { defineScenario } from '../src/scenario/schema.js';

export default defineScenario({
  name: 'ucf101-scale',
  summary: 'UCF101-sized synthetic data (51 classes, ~7,000 clips, audio 500x80, video 10x1280), FedMultimodal models',
  seed: 1,
  data: { kind: 'synthetic', seed: 1, ...ucf101SizedParams() },
  videoMissingRate: 0.5,
  algorithm: { name: 'modality-mirror', rounds: 200 },
  training: { epochs: 1, batchSize: 16, lr: 0.05, momentum: 0.9, weightDecay: 1e-5, clipNorm: 10 },
  rounds: { clientsPerRound: 0.1 },
});
