/**
 * UniFL: FedAvg of the audio-only model (audio encoder + audio head) over every client's audio.
 * One phase; its score is the global audio model on audio-only test data.
 */
import { selectModules, type WeightMap } from '../core/weights.js';
import { modulesOf } from '../model/model-kinds.js';
import { supervisedStep } from './supervised-objective.js';
import { advanceRound, aggregateGlobal, firstPhase, type PhaseState, type Strategy } from './strategy.js';

/** UniFL state: the global audio model. */
export interface UniFLState extends PhaseState {
  global: WeightMap;
}

/** The UniFL strategy. */
export const unifl: Strategy<UniFLState> = {
  name: 'unifl',
  phases: ['fedavg'],
  models: ['audio'],
  headline: 'audio',
  defaults: {},
  init: (initial, settings) => ({ ...firstPhase(settings), global: selectModules(initial, modulesOf('audio')) }),
  eligible: (_state, client) => client.hasAudio,
  plan: (state, _client, _round, settings) => ({
    weights: state.global,
    steps: [supervisedStep('audio')],
    hyper: settings.hyper,
  }),
  aggregate: (state, replies, _round, settings) => {
    const { weights, serverMomentum, aggregationNotes } = aggregateGlobal(state, state.global, replies, settings);
    return { ...advanceRound({ ...state, serverMomentum, aggregationNotes }, settings), global: weights };
  },
  evaluate: (state) => [{ name: 'audio', model: 'audio', weights: state.global }],
};
