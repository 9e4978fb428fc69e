/**
 * A dropout study: a share of the clients drops out for good halfway through each method's rounds
 * (for a two-phase method, as its second phase opens), 100 ms into that round. The event has the id
 * `dropout`, so one command sweeps its rate across methods and seeds:
 *
 *   npx modality-mirror sweep scenarios/dropout-study.ts --vary dropout.target.rate=0,0.3,0.6 \
 *     --methods unifl,modality-mirror --seeds 1,2 --out runs/dropout-study
 *
 * Running the same command again reuses every finished cell (runs/dropout-study/cells).
 */
import { defineScenario } from '../src/scenario/schema.js';
import { FEDMULTIMODAL_TRAINING, SMALL_MODEL, SMALL_SYNTHETIC } from './_shared.js';

export default defineScenario({
  name: 'dropout-study',
  summary: 'Dropout study: a swept share of clients (default 30%) drops halfway through and never returns',
  seed: 1,
  data: SMALL_SYNTHETIC,
  videoMissingRate: 0.5,
  model: SMALL_MODEL,
  algorithm: { name: 'modality-mirror', rounds: 8 },
  training: FEDMULTIMODAL_TRAINING,
  rounds: { clientsPerRound: 0.5 },
  timeline: [{ id: 'dropout', type: 'dropout', at: { progress: 0.5, offsetMs: 100 }, target: { rate: 0.3 }, reason: 'dropout halfway through' }],
});
