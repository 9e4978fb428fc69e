/**
 * FedProx (Li et al., "Federated Optimization in Heterogeneous Networks", MLSys 2020): FedAvg
 * whose clients add a proximal term to their local loss, pulling each local model toward the
 * global model it started from so that clients with skewed data drift less:
 *
 *   local loss = CE(y, f_w(x)) + (μ/2)·‖w − w_global‖²
 *
 * Here on the audio-only model, as UniFL (every client's audio, sample-weighted FedAvg, scored on
 * audio alone), so the two differ only by the proximal term; μ = 0 gives UniFL's weights exactly.
 * Parameter: `mu` (μ, default 0.01; FedProx's paper tries 0.001 to 1).
 */
import type { Objective, ParamRule } from '../protocol/local-step.js';
import type { Strategy } from './strategy.js';
import { unifl, type UniFLState } from './unifl.js';

/** FedProx state: the global audio model (UniFL's state). */
export type FedProxState = UniFLState;

const MU: ParamRule = { allowed: "FedProx's proximal weight μ, a number >= 0 (0 = plain FedAvg)", ok: (v) => Number.isFinite(v) && v >= 0 };

/**
 * The client half: cross-entropy plus (μ/2)·‖w − w_global‖² over the trained weights. The global
 * weights are where the step starts, so the trainer's `squaredDistanceFromStart` is that distance;
 * its gradient is μ·(w − w_global), added to the cross-entropy gradient before clipping, weight
 * decay and momentum, as the term is part of the loss.
 */
export const proximal: Objective = {
  name: 'fedprox',
  params: { mu: MU },
  loss: ({ logits, labels, params, ops }) => {
    const ce = ops.crossEntropy(logits, labels);
    // μ = 0 adds no term at all, so the gradient is FedAvg's bit for bit (not even a signed zero differs).
    return params.mu === 0 ? ce : ops.add(ce, ops.mul(params.mu / 2, ops.squaredDistanceFromStart()));
  },
};

/** The FedProx strategy: UniFL's server half (FedAvg of the audio model), its own objective in the plan. */
export const fedprox: Strategy<FedProxState> = {
  name: 'fedprox',
  phases: ['fedprox'],
  models: ['audio'],
  headline: 'audio',
  defaults: { mu: 0.01 },
  paramRules: { mu: MU },
  objectives: [proximal],
  init: unifl.init,
  eligible: unifl.eligible,
  plan: (state, _client, _round, settings) => ({
    weights: state.global,
    steps: [{ kind: proximal.name, model: 'audio', params: { mu: settings.params.mu ?? fedprox.defaults.mu } }],
    hyper: settings.hyper,
  }),
  aggregate: unifl.aggregate,
  evaluate: unifl.evaluate,
};
