/**
 * 30% of the clients drop out halfway through the method's rounds (for a two-phase method: as its
 * second phase opens), 100 ms into that round, for good. Placed by progress, so every method runs it:
 * `modality-mirror compare scenarios/dropout.ts --methods unifl,multifl,harmony,modality-mirror`.
 */
import { defineScenario } from '../src/scenario/schema.js';
import { FEDMULTIMODAL_TRAINING, SMALL_MODEL, SMALL_SYNTHETIC } from './_shared.js';

export default defineScenario({
  name: 'dropout',
  summary: 'ModalityMirror; 30% of clients drop 100 ms into the round halfway through (phase 2\'s first) and never return',
  seed: 1,
  data: SMALL_SYNTHETIC,
  videoMissingRate: 0.5,
  model: SMALL_MODEL,
  algorithm: { name: 'modality-mirror', rounds: 10 },
  training: FEDMULTIMODAL_TRAINING,
  rounds: { clientsPerRound: 0.5 },
  timeline: [{ id: 'dropout', type: 'dropout', at: { progress: 0.5, offsetMs: 100 }, target: { rate: 0.3 }, reason: 'dropout halfway through' }],
});
