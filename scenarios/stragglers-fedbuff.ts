/**
 * The straggler study: synchronous rounds with a deadline (UniFL) against FedBuff, in virtual time.
 * A third of the devices are old phones at 0.1× speed, the rest lognormal (sigma 0.8): a synchronous
 * round either waits for its slowest client or, with the 600 ms deadline, cuts it; FedBuff keeps 5
 * clients training at once and steps after every 3 arrivals, weighting a stale update by 1/√(1+s).
 * FedBuff reads the same deadline as a per-task timeout; `--set deadlineMs=null` lifts it for both.
 * Run as `compare --methods unifl,fedbuff` (see docs/fedbuff.md for the commands and the table).
 */
import { defineScenario } from '../src/scenario/schema.js';
import { FEDMULTIMODAL_TRAINING, SMALL_MODEL, SMALL_SYNTHETIC } from './_shared.js';

export default defineScenario({
  name: 'stragglers-fedbuff',
  summary: 'UniFL with a 600 ms deadline vs FedBuff (C 5, K 3, 1/sqrt(1+s)); 30% old phones at 0.1x, lognormal speeds (sigma 0.8)',
  seed: 1,
  data: SMALL_SYNTHETIC,
  videoMissingRate: 0.5,
  model: SMALL_MODEL,
  // FedBuff's parameters; UniFL reads none of them. Each method runs `rounds` rounds or server steps.
  algorithm: { name: 'unifl', rounds: 30, params: { concurrency: 5, bufferSize: 3, stalenessExponent: 0.5 } },
  training: FEDMULTIMODAL_TRAINING,
  rounds: { clientsPerRound: 5, deadlineMs: 600 },
  population: { deviceSpeedSigma: 0.8, deviceClasses: [{ name: 'old-phone', share: 0.3, speed: 0.1 }] },
});
