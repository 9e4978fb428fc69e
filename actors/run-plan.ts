/**
 * Turns a round's plan into trainer tasks bound to one client's samples and seed, runs its steps
 * (each from the weights the steps before it leave, in plan order) and returns the updated modules.
 */
import { seedKey } from '../src/core/seed-streams.js';
import { cloneWeights, mergeWeights, selectModules, type WeightMap } from '../src/core/weights.js';
import type { TaskPlan } from '../src/protocol/tasks.js';
import { modulesOf } from '../src/model/model-kinds.js';
import type { TrainResult, Trainer } from '../src/protocol/trainer.js';
import type { PlanBinding } from '../src/protocol/work.js';
import { alterUpdate, labelShiftOf } from '../src/protocol/misbehave.js';

export type { PlanBinding } from '../src/protocol/work.js';


/** The modules a step writes: its trainModules, or every module of its model. */
function writesOf(step: TaskPlan['steps'][number]): readonly string[] {
  return step.trainModules ?? modulesOf(step.model);
}

/**
 * For each step, the earlier steps it must wait for: those that write a module it reads. A step
 * reads only its own model's modules, so it sees exactly the weights it would see run in order.
 */
export function stepDependencies(steps: TaskPlan['steps']): number[][] {
  return steps.map((step, i) => {
    const reads = new Set<string>(modulesOf(step.model));
    return steps.slice(0, i).flatMap((earlier, k) => (writesOf(earlier).some((m) => reads.has(m)) ? [k] : []));
  });
}

/**
 * Runs every step of the plan; resolves with the union of updated modules. A step starts as soon as
 * the earlier steps it reads from are done (ModalityMirror's audio and video steps run at once, the
 * fusion step after both), from the weights the earlier steps leave in plan order, so the result is
 * that of running them one after another. A failure is the earliest failing step's, as in order.
 */
export async function runPlan(plan: TaskPlan, bind: PlanBinding, trainer: Trainer): Promise<TrainResult> {
  // Copy: trainers may transfer (detach) the arrays they are given; the global weights must survive.
  const initial = cloneWeights(bind.local ? mergeWeights(plan.weights, selectModules(bind.local, plan.keepLocal ?? [])) : plan.weights);
  const labelShift = labelShiftOf(bind.misbehave ?? null);
  const dependencies = stepDependencies(plan.steps);
  const start = (index: number, weights: WeightMap): Promise<TrainResult> => {
    const step = plan.steps[index];
    try {
      return trainer.train({
        kind: step.kind,
        model: step.model,
        weights: cloneWeights(selectModules(weights, modulesOf(step.model))),
        ...(step.trainModules ? { trainModules: step.trainModules } : {}),
        ...(step.frozen ? { frozen: cloneWeights(step.frozen) } : {}),
        ...(step.params ? { params: { ...step.params } } : {}),
        sampleIndices: bind.sampleIndices,
        zeroVideo: step.zeroVideoIfMissing === true && !bind.hasVideo,
        ...(labelShift ? { labelShift } : {}),
        hyper: plan.hyper,
        seed: seedKey(bind.seed, 'train', bind.clientId, bind.round, index),
      });
    } catch (error) {
      return Promise.reject(error);
    }
  };
  const results: Array<Promise<TrainResult>> = [];
  for (const index of plan.steps.keys()) {
    const needs = dependencies[index];
    // A step that reads nothing an earlier step writes starts now (in this call, as the work's owner expects).
    if (needs.length === 0) {
      results.push(start(index, initial));
      continue;
    }
    results.push(Promise.all(needs.map((k) => results[k])).then((done) => {
      // The weights after steps 0..index-1 in order; the modules it reads come only from `needs`.
      let weights = initial;
      for (const result of done) weights = mergeWeights(weights, result.weights);
      return start(index, weights);
    }));
  }
  // Settled here so that a later step's failure is not unhandled while an earlier one is awaited.
  for (const r of results) r.catch(() => {});
  let weights = initial;
  const updated = new Set<string>();
  let lossSum = 0;
  let steps = 0;
  for (const pending of results) {
    const result = await pending;
    weights = mergeWeights(weights, result.weights);
    for (const key of Object.keys(result.weights)) updated.add(key);
    lossSum += result.meanLoss;
    steps += result.steps;
  }
  let out: WeightMap = {};
  for (const key of [...updated].sort()) out[key] = weights[key];
  // A misbehaving client computed honestly; now it alters what it sends (relative to the global model).
  if (bind.misbehave) out = alterUpdate(out, plan.weights, bind.misbehave, { seed: bind.seed, clientId: bind.clientId, round: bind.round });
  return { weights: out, numSamples: bind.sampleIndices.length, meanLoss: plan.steps.length ? lossSum / plan.steps.length : 0, steps };
}
