/**
 * Byzantine clients: from the first round on, a share of the clients (the event `attack`) sends the
 * sign-flipped update g − 4·(w − g) instead of its honest one. A study over the attacker share and
 * the aggregation rule, for UniFL and ModalityMirror:
 *
 *   npx modality-mirror sweep scenarios/byzantine.ts --vary attack.target.rate=0,0.1,0.2,0.3 \
 *     --vary aggregator=fedavg,median,krum --methods unifl,modality-mirror --seeds 1,2 --out runs/byzantine
 *
 * Krum assumes f = 3 attackers among the 10 clients of a round (it needs n >= 2f + 3).
 */
import { defineScenario } from '../src/scenario/schema.js';
import { FEDMULTIMODAL_TRAINING, SMALL_MODEL, SMALL_SYNTHETIC } from './_shared.js';

export default defineScenario({
  name: 'byzantine',
  summary: 'Sign-flipping attackers (default 20% of clients, k = 4) from round 0; aggregator swept by the study',
  seed: 1,
  data: SMALL_SYNTHETIC,
  videoMissingRate: 0.5,
  model: SMALL_MODEL,
  algorithm: { name: 'unifl', rounds: 20 },
  training: FEDMULTIMODAL_TRAINING,
  rounds: { clientsPerRound: 0.5 },
  server: { aggregator: { name: 'fedavg', f: 3 } },
  timeline: [{ id: 'attack', type: 'misbehave', kind: 'sign-flip', factor: 4, at: { round: 0 }, target: { rate: 0.2 }, reason: 'byzantine client' }],
});
