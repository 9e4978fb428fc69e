/** ModalityMirror where 30% of the clients drop out during phase 2 (distillation), mid-round, for good. */
import { defineScenario } from '../src/scenario/schema.js';
import { FEDMULTIMODAL_TRAINING, SMALL_MODEL, SMALL_SYNTHETIC } from './_shared.js';

export default defineScenario({
  name: 'dropout',
  summary: 'ModalityMirror; 30% of clients drop 100 ms into the first distillation round and never return',
  seed: 1,
  data: SMALL_SYNTHETIC,
  videoMissingRate: 0.5,
  model: SMALL_MODEL,
  algorithm: { name: 'modality-mirror', rounds: 10 },
  training: FEDMULTIMODAL_TRAINING,
  rounds: { clientsPerRound: 0.5 },
  timeline: [{ type: 'dropout', at: { phase: 'distillation', offsetMs: 100 }, target: { rate: 0.3 }, reason: 'phase-2 dropout' }],
});
