/** Every algorithm by name: adding one is one file plus one line here. */
import { fedbuff } from './fedbuff.js';
import { harmony } from './harmony.js';
import { modalityMirror } from './modality-mirror.js';
import { multifl } from './multifl.js';
import type { PhaseState, Strategy } from './strategy.js';
import { unifl } from './unifl.js';

/** Registered strategies by name. */
export const STRATEGIES: Record<string, Strategy<PhaseState>> = {
  unifl: unifl as unknown as Strategy<PhaseState>,
  multifl: multifl as unknown as Strategy<PhaseState>,
  harmony: harmony as unknown as Strategy<PhaseState>,
  'modality-mirror': modalityMirror as unknown as Strategy<PhaseState>,
  fedbuff: fedbuff as unknown as Strategy<PhaseState>,
};

/** Names of the registered strategies. */
export const STRATEGY_NAMES = Object.keys(STRATEGIES);
