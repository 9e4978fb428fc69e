/**
 * Half of the audio-visual clients lose their video halfway through the method's rounds (for a
 * two-phase method: between its phases). Placed by progress, so every method runs it.
 */
import { defineScenario } from '../src/scenario/schema.js';
import { FEDMULTIMODAL_TRAINING, SMALL_MODEL, SMALL_SYNTHETIC } from './_shared.js';

export default defineScenario({
  name: 'video-loss',
  summary: 'ModalityMirror; half of the audio-visual clients lose video halfway through (when distillation starts)',
  seed: 1,
  data: SMALL_SYNTHETIC,
  videoMissingRate: 0.3,
  model: SMALL_MODEL,
  algorithm: { name: 'modality-mirror', rounds: 10 },
  training: FEDMULTIMODAL_TRAINING,
  rounds: { clientsPerRound: 0.5 },
  timeline: [{ id: 'videoLoss', type: 'modalityLoss', modality: 'video', at: { progress: 0.5 }, target: { rate: 0.5, onlyWithVideo: true }, reason: 'camera lost halfway through' }],
});
