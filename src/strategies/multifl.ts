/**
 * MultiFL: FedAvg of the audio-visual model over every client; a client without video trains with
 * its video zero-filled (length 0), as FedMultimodal does. Scored on audio alone (video zeroed).
 */
import { selectModules, type WeightMap } from '../core/weights.js';
import { modulesOf } from '../model/model-kinds.js';
import { supervisedStep } from './supervised-objective.js';
import { advanceRound, aggregateGlobal, firstPhase, type PhaseState, type Strategy } from './strategy.js';

/** MultiFL state: the global audio-visual model. */
export interface MultiFLState extends PhaseState {
  global: WeightMap;
}

/** The MultiFL strategy. */
export const multifl: Strategy<MultiFLState> = {
  name: 'multifl',
  phases: ['fedavg'],
  models: ['av'],
  headline: 'audio',
  defaults: {},
  init: (initial, settings) => ({ ...firstPhase(settings), global: selectModules(initial, modulesOf('av')) }),
  eligible: (_state, client) => client.hasAudio,
  plan: (state, _client, _round, settings) => ({
    weights: state.global,
    steps: [supervisedStep('av', { zeroVideoIfMissing: true })],
    hyper: settings.hyper,
  }),
  aggregate: (state, replies, _round, settings) => {
    const { weights, serverMomentum, aggregationNotes } = aggregateGlobal(state, state.global, replies, settings);
    return { ...advanceRound({ ...state, serverMomentum, aggregationNotes }, settings), global: weights };
  },
  evaluate: (state) => [
    { name: 'audio', model: 'av', weights: state.global, zeroVideo: true },
    { name: 'av', model: 'av', weights: state.global },
  ],
};
