/**
 * The server's update rule after averaging. 'fedavg' takes the average as the new global model.
 * 'fedopt' (FedMultimodal's FedOpt) treats global − average as a pseudo-gradient and applies server
 * SGD with momentum: m ← μ·m + (global − average); global ← global − lr·m. Momentum is per weight
 * key, kept in the strategy state, and restarts at each phase.
 */
import { sortKeys, type WeightMap } from '../core/weights.js';

/** How the server turns an average into the next global model. */
export type ServerOptimizer = { kind: 'fedavg' } | { kind: 'fedopt'; lr: number; momentum: number };

/** FedMultimodal's FedOpt settings: server SGD lr 0.025, momentum 0.9. */
export const FEDOPT_DEFAULTS = { lr: 0.025, momentum: 0.9 };

/** The next global weights and server momentum for `global` after the round's `averaged` weights. */
export function serverStep(global: WeightMap, averaged: WeightMap, momentum: WeightMap, optimizer: ServerOptimizer): { weights: WeightMap; momentum: WeightMap } {
  if (optimizer.kind === 'fedavg') return { weights: averaged, momentum };
  const weights: WeightMap = { ...averaged };
  const nextMomentum: WeightMap = { ...momentum };
  for (const key of Object.keys(averaged)) {
    // Keys no reply touched keep their array: no pseudo-gradient, no step.
    if (averaged[key] === global[key]) continue;
    const g = global[key];
    const a = averaged[key];
    const m = momentum[key];
    const out = new Float32Array(g.length);
    const mOut = new Float32Array(g.length);
    for (let i = 0; i < g.length; i++) {
      const v = (m ? optimizer.momentum * m[i] : 0) + (g[i] - a[i]);
      mOut[i] = v;
      out[i] = g[i] - optimizer.lr * v;
    }
    weights[key] = out;
    nextMomentum[key] = mOut;
  }
  return { weights: sortKeys(weights), momentum: sortKeys(nextMomentum) };
}
