/**
 * Turns a round's plan into trainer tasks bound to one client's samples and seed, runs its steps in
 * order (each starts from the weights the previous step left) and returns the updated modules.
 */
import { seedKey } from '../src/core/seed-streams.js';
import { cloneWeights, mergeWeights, selectModules, type WeightMap } from '../src/core/weights.js';
import type { TaskPlan } from '../src/protocol/tasks.js';
import { modulesOf } from '../src/model/model-kinds.js';
import type { TrainResult, Trainer } from '../src/protocol/trainer.js';
import type { PlanBinding } from '../src/protocol/work.js';
import { alterUpdate, labelShiftOf } from '../src/protocol/misbehave.js';

export type { PlanBinding } from '../src/protocol/work.js';


/** Runs every step of the plan; resolves with the union of updated modules. */
export async function runPlan(plan: TaskPlan, bind: PlanBinding, trainer: Trainer): Promise<TrainResult> {
  // Copy: trainers may transfer (detach) the arrays they are given; the global weights must survive.
  let weights = cloneWeights(bind.local ? mergeWeights(plan.weights, selectModules(bind.local, plan.keepLocal ?? [])) : plan.weights);
  const updated = new Set<string>();
  let lossSum = 0;
  let steps = 0;
  const labelShift = labelShiftOf(bind.misbehave ?? null);
  for (const [index, step] of plan.steps.entries()) {
    const seed = seedKey(bind.seed, 'train', bind.clientId, bind.round, index);
    const result: TrainResult = await trainer.train({
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
      seed,
    });
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
