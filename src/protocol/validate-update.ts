/**
 * Checks an update before aggregation: it must carry exactly the weights the plan trained (the
 * modules of its steps, with the plan's shapes), only finite values, and a positive sample count.
 * Returns the reasons it is rejected (empty when it is accepted), each naming the module and what
 * was wrong, so the round records them as data.
 */
import { moduleOf, type WeightMap } from '../core/weights.js';
import { stepModules } from './local-step.js';
import type { EvalSpec, TaskPlan } from './tasks.js';

/** One reason an update is rejected. */
export interface Rejection {
  module: string;
  reason: string;
}

/** Modules a plan's steps change (what its reply must carry). */
export function trainedModules(plan: TaskPlan): Set<string> {
  const out = new Set<string>();
  for (const step of plan.steps) {
    for (const m of stepModules(step)) out.add(m);
  }
  return out;
}

/** The weights a reply to `plan` must carry: each trained key with its length (compact, kept while a round is open). */
export function expectedShapes(plan: TaskPlan): Record<string, number> {
  const modules = trainedModules(plan);
  const out: Record<string, number> = {};
  for (const key of Object.keys(plan.weights).sort()) if (modules.has(moduleOf(key))) out[key] = plan.weights[key].length;
  return out;
}

/** The reason a round record gives for a rejected update: every rejection, module first. */
export function rejectionReason(rejections: readonly Rejection[]): string {
  return `update rejected: ${rejections.map((r) => `${r.module}: ${r.reason}`).join('; ')}`;
}

/** Why `update` (weights and sample count) is not an acceptable reply to `plan`; empty when it is. */
export function validateUpdate(plan: TaskPlan, update: { weights: WeightMap; numSamples: number }): Rejection[] {
  return validateAgainst(expectedShapes(plan), update);
}

/** Why `update` does not match the `expected` keys and lengths, or holds bad values; empty when it is fine. */
export function validateAgainst(expected: Record<string, number>, update: { weights: WeightMap; numSamples: number }): Rejection[] {
  const reasons: Rejection[] = [];
  if (!(Number.isFinite(update.numSamples) && update.numSamples > 0)) reasons.push({ module: '*', reason: `numSamples = ${update.numSamples}, expected a count > 0` });
  const keys = Object.keys(expected).sort();
  const modules = [...new Set(keys.map(moduleOf))].sort();
  const got = new Set(Object.keys(update.weights));
  for (const key of keys) if (!got.has(key)) reasons.push({ module: moduleOf(key), reason: `weight ${key} is missing` });
  for (const key of [...got].sort()) {
    const module = moduleOf(key);
    const values = update.weights[key];
    if (expected[key] === undefined) {
      reasons.push({ module, reason: `weight ${key} was not asked for (trained modules: ${modules.join(', ')})` });
      continue;
    }
    if (!(values instanceof Float32Array) || values.length !== expected[key]) {
      reasons.push({ module, reason: `weight ${key} has ${values instanceof Float32Array ? `${values.length} values` : typeof values}, expected ${expected[key]}` });
      continue;
    }
    let bad = -1;
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) {
        bad = i;
        break;
      }
    }
    if (bad >= 0) reasons.push({ module, reason: `weight ${key} holds a non-finite value (${values[bad]} at index ${bad})` });
  }
  return reasons;
}

/** The first non-finite weight of a global model, or null when every value is finite. */
export function firstNonFinite(weights: WeightMap): { key: string; module: string; index: number; value: number } | null {
  for (const key of Object.keys(weights).sort()) {
    const values = weights[key];
    for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return { key, module: moduleOf(key), index: i, value: values[i] };
  }
  return null;
}

/** The first model among `specs` (a server's global models) holding a non-finite value: its name and where, or null when all are finite. */
export function firstNonFiniteModel(specs: readonly EvalSpec[]): { name: string; at: string } | null {
  for (const spec of specs) {
    const bad = firstNonFinite(spec.weights);
    if (bad) return { name: spec.name, at: `module ${bad.module}, ${bad.key}[${bad.index}] = ${bad.value}` };
  }
  return null;
}
