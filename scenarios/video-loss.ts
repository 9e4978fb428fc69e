/** ModalityMirror where half of the audio-visual clients lose their video between the two phases. */
import { defineScenario } from '../src/scenario/schema.js';
import { FEDMULTIMODAL_TRAINING, SMALL_MODEL, SMALL_SYNTHETIC } from './_shared.js';

export default defineScenario({
  name: 'video-loss',
  summary: 'ModalityMirror; half of the audio-visual clients lose video when distillation starts',
  seed: 1,
  data: SMALL_SYNTHETIC,
  videoMissingRate: 0.3,
  model: SMALL_MODEL,
  algorithm: { name: 'modality-mirror', rounds: 10 },
  training: FEDMULTIMODAL_TRAINING,
  rounds: { clientsPerRound: 0.5 },
  timeline: [{ type: 'modalityLoss', modality: 'video', at: { phase: 'distillation' }, target: { rate: 0.5, onlyWithVideo: true }, reason: 'camera lost between phases' }],
});
