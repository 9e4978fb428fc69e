import { describe, expect, it } from 'vitest';
import { runPlan, stepDependencies } from '../../actors/run-plan.js';
import { seedKey } from '../../src/core/seed-streams.js';
import { cloneWeights, mergeWeights, selectModules, type WeightMap } from '../../src/core/weights.js';
import { modulesOf } from '../../src/model/model-kinds.js';
import type { TaskPlan } from '../../src/protocol/tasks.js';
import type { TrainResult, TrainTask } from '../../src/protocol/trainer.js';
import type { PlanBinding } from '../../src/protocol/work.js';
import { FakeTrainer } from '../../src/train/fake-trainer.js';

// ModalityMirror's phase-1 plan for a client with both modalities: audio model, video model, then
// the fusion head on both encoders.
const hyper = { epochs: 1, batchSize: 2, lr: 0.1, momentum: 0.9, weightDecay: 0, clipNorm: 0 };
const mmSteps: TaskPlan['steps'] = [
  { kind: 'supervised', model: 'audio' },
  { kind: 'supervised', model: 'video' },
  { kind: 'supervised', model: 'av', trainModules: ['fusion'] },
];
const binding: PlanBinding = { seed: 7, clientId: 'c3', round: 2, sampleIndices: [0, 1, 2], hasVideo: true, local: null };

function trainer() {
  return new FakeTrainer({ labels: Int32Array.from([0, 1, 0]), numClasses: 2 });
}

/** The plan run one step after another, as it was before steps could overlap. */
async function inOrder(plan: TaskPlan, bind: PlanBinding, t: FakeTrainer): Promise<TrainResult> {
  let weights: WeightMap = cloneWeights(plan.weights);
  const updated = new Set<string>();
  let lossSum = 0;
  for (const [index, step] of plan.steps.entries()) {
    const result = await t.train({
      kind: step.kind, model: step.model, weights: cloneWeights(selectModules(weights, modulesOf(step.model))),
      ...(step.trainModules ? { trainModules: step.trainModules } : {}), sampleIndices: bind.sampleIndices, zeroVideo: false, hyper: plan.hyper,
      seed: seedKey(bind.seed, 'train', bind.clientId, bind.round, index),
    });
    weights = mergeWeights(weights, result.weights);
    for (const key of Object.keys(result.weights)) updated.add(key);
    lossSum += result.meanLoss;
  }
  const out: WeightMap = {};
  for (const key of [...updated].sort()) out[key] = weights[key];
  return { weights: out, numSamples: bind.sampleIndices.length, meanLoss: lossSum / plan.steps.length, steps: plan.steps.length };
}

/** A fake trainer whose tasks finish only when the test says, newest first: completion order is the reverse of start order. */
class GatedTrainer extends FakeTrainer {
  readonly started: string[] = [];
  private readonly gates: Array<() => void> = [];
  override async train(task: TrainTask): Promise<TrainResult> {
    this.started.push(task.model);
    await new Promise<void>((resolve) => this.gates.push(resolve));
    return super.train(task);
  }
  /** Lets the most recently started task finish. */
  releaseNewest(): boolean {
    const gate = this.gates.pop();
    gate?.();
    return gate !== undefined;
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('runPlan', () => {
  it('a step waits only for the earlier steps that write a module it reads', () => {
    expect(stepDependencies(mmSteps)).toEqual([[], [], [0, 1]]);
    // A later step reading what an earlier one wrote waits; trainModules limits what a step writes.
    expect(stepDependencies([{ kind: 'supervised', model: 'av' }, { kind: 'distill', model: 'audio' }])).toEqual([[], [0]]);
    expect(stepDependencies([{ kind: 'supervised', model: 'av', trainModules: ['fusion'] }, { kind: 'supervised', model: 'audio' }])).toEqual([[], []]);
  });

  it('runs the audio and video steps at once, the fusion step after both, with the result of running them in order', async () => {
    const base = trainer();
    const weights = await base.initWeights(['audio', 'video', 'av'], 'init');
    const plan: TaskPlan = { weights, steps: mmSteps, hyper };
    const gated = new GatedTrainer({ labels: Int32Array.from([0, 1, 0]), numClasses: 2 });
    const pending = runPlan(plan, binding, gated);
    await settle();
    expect(gated.started).toEqual(['audio', 'video']);
    // The video step finishes first; the fusion step still waits for the audio step.
    gated.releaseNewest();
    await settle();
    expect(gated.started).toEqual(['audio', 'video']);
    gated.releaseNewest();
    await settle();
    expect(gated.started).toEqual(['audio', 'video', 'av']);
    gated.releaseNewest();
    const overlapped = await pending;
    expect(overlapped).toEqual(await inOrder(plan, binding, trainer()));
    // The global weights given in the plan are untouched.
    expect(plan.weights).toEqual(await base.initWeights(['audio', 'video', 'av'], 'init'));
  });

  it('fails with the earliest failing step, as in order, and starts no step that reads a failed one', async () => {
    const weights = await trainer().initWeights(['audio', 'video', 'av'], 'init');
    const plan: TaskPlan = { weights, steps: mmSteps, hyper };
    const audioSeed = seedKey(binding.seed, 'train', binding.clientId, binding.round, 0);
    const videoSeed = seedKey(binding.seed, 'train', binding.clientId, binding.round, 1);
    const both = new FakeTrainer({ labels: Int32Array.from([0, 1, 0]), numClasses: 2, failSeeds: [audioSeed, videoSeed] });
    await expect(runPlan(plan, binding, both)).rejects.toThrow(`fake failure for task ${audioSeed}`);
    expect(both.trained.map((t) => t.model)).toEqual(['audio', 'video']);
    const video = new FakeTrainer({ labels: Int32Array.from([0, 1, 0]), numClasses: 2, failSeeds: [videoSeed] });
    await expect(runPlan(plan, binding, video)).rejects.toThrow(`fake failure for task ${videoSeed}`);
    expect(video.trained.map((t) => t.model)).toEqual(['audio', 'video']);
  });
});
