/**
 * FedMultimodal's UCF101 setup on your own extracted features: 100 Dirichlet(0.1) clients, 10% per
 * round, FedMultimodal's model sizes and optimiser, ModalityMirror for 200 rounds per phase.
 * Point `outputDir` (or `--data fedmultimodal:DIR`) at FedMultimodal's `output/` folder.
 */
import { defineScenario } from '../src/scenario/schema.js';

export default defineScenario({
  name: 'fedmultimodal-ucf101',
  summary: "FedMultimodal's UCF101 features from ./output (alpha 0.1, fold 1), FedMultimodal models, ModalityMirror",
  seed: 1,
  data: { kind: 'fedmultimodal', outputDir: 'output', dataset: 'ucf101', alpha: 0.1, fold: 1 },
  videoMissingRate: 0.5,
  algorithm: { name: 'modality-mirror', rounds: 200 },
  training: { epochs: 1, batchSize: 16, lr: 0.05, momentum: 0.9, weightDecay: 1e-5, clipNorm: 10 },
  rounds: { clientsPerRound: 0.1 },
  evalBatchSize: 128,
});
