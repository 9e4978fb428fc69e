/**
 * The one local training loop every objective runs in: a pure function of (task, store, config)
 * within one backend. Custom loop (not model.fit) so that data order, dropout and the update rule
 * are ours and seeded; the objective (found by the task's `kind` in the registry) supplies only the
 * batch loss (src/protocol/local-step.ts). Per batch: gather the rows, run the frozen model if the
 * objective has one (inference mode, outside the gradient), then one sgdStep on the loss.
 */
import * as tf from '../model/tfjs.js';
import { seedKey } from '../core/seed-streams.js';
import { moduleOf } from '../core/weights.js';
import type { FeatureStore } from '../data/types.js';
import { modulesOf } from '../model/model-kinds.js';
import { getWeightMap, setWeightMap, variablesByKey } from '../model/weight-map.js';
import type { LossTensor, Objective } from '../protocol/local-step.js';
import { objectiveNamed } from '../strategies/registry.js';
import { epochBatches, gatherBatch, inputTensors, oneHotLabels, type HostBatch } from './batches.js';
import { checkIndices, checkStoreFits } from './check-task.js';
import { lossOps, StartDistance } from './loss-ops.js';
import { cachedModel } from './model-cache.js';
import { checkHyper, disposeMomentum, sgdStep } from './sgd-step.js';
import type { ModelConfig, ModelKind } from '../model/model-config.js';
import type { TrainResult, TrainTask } from '../protocol/trainer.js';
import { forwardLayers } from '../model/forward-layers.js';

/** Trains `task.trainModules` (default: all modules of the model) with its objective; returns only their weights. */
export function runLocalStep(task: TrainTask, store: FeatureStore, config: ModelConfig): TrainResult {
  const context = `${task.kind} '${task.model}' task (seed ${task.seed})`;
  const objective = objectiveNamed(task.kind);
  checkHyper(task.hyper, context);
  const params = checkParams(objective, task.params ?? {}, context);
  const frozenKind = objective.frozenModel;
  if (frozenKind !== undefined && task.frozen === undefined) throw new Error(`${context}: objective '${objective.name}' reads a frozen '${frozenKind}' model, but the task has no frozen weights`);
  // One cached model per kind: a frozen model of the trained model's own kind would be the same object.
  if (frozenKind === task.model) throw new Error(`${context}: objective '${objective.name}' freezes a '${frozenKind}' model while training one; not supported`);
  const batchKind = frozenKind === undefined ? task.model : 'av';
  checkStoreFits(store, config, batchKind, task.zeroVideo === true);
  checkIndices(task.sampleIndices, store, context);
  const modules: readonly string[] = modulesOf(task.model);
  const trainModules = task.trainModules ?? modules;
  for (const m of trainModules) {
    if (!modules.includes(m)) {
      throw new Error(`${context}: trainModules contains '${m}', which is not a module of '${task.model}' (${modules.join(', ')})`);
    }
  }
  const frozen = frozenKind === undefined ? null : cachedModel(config, frozenKind);
  if (frozen !== null) {
    setWeightMap(frozen, task.frozen!);
    frozen.control.training = false;
  }
  const built = cachedModel(config, task.model);
  setWeightMap(built, task.weights);
  const trained = [...variablesByKey(built)].filter(([key]) => trainModules.includes(moduleOf(key)));
  const variables = trained.map(([, v]) => v);
  const start = new StartDistance(trained, task.weights);
  const ops = lossOps(start.compute);
  // A fresh optimiser per task: FedMultimodal builds a new one every local round (momentum restarts).
  const optimizer = tf.train.momentum(task.hyper.lr, task.hyper.momentum);
  let lossSum = 0;
  let steps = 0;
  try {
    for (let epoch = 0; epoch < task.hyper.epochs; epoch++) {
      epochBatches(task.seed, epoch, task.sampleIndices, task.hyper.batchSize).forEach((indices, b) => {
        // Scratch arrays (reuse): the batch is uploaded within this step, before the next gather.
        const host = gatherBatch(store, config, batchKind, indices, task.zeroVideo === true, task.labelShift ?? 0, true);
        const own = inputsOf(host, batchKind, task.model);
        const frozenLogits = frozen === null ? undefined : tf.tidy(() => forwardLayers(frozen.model, inputTensors(inputsOf(host, batchKind, frozenKind!))) as tf.Tensor2D);
        try {
          built.control.training = true;
          built.control.stepKey = seedKey(task.seed, 'dropout', epoch, b);
          lossSum += sgdStep(
            optimizer,
            variables,
            () => {
              const logits = forwardLayers(built.model, inputTensors(own)) as tf.Tensor2D;
              const labels = oneHotLabels(host, config.numClasses);
              return objective.loss({ logits: lossTensor(logits), labels: lossTensor(labels), frozenLogits: frozenLogits && lossTensor(frozenLogits), params, ops }) as unknown as tf.Scalar;
            },
            task.hyper,
          );
        } finally {
          frozenLogits?.dispose();
        }
        steps++;
      });
    }
  } finally {
    built.control.training = false;
    disposeMomentum(optimizer);
    start.dispose();
  }
  return {
    weights: getWeightMap(built, trainModules),
    numSamples: task.sampleIndices.length,
    meanLoss: steps > 0 ? lossSum / steps : 0,
    steps,
  };
}

const lossTensor = (t: tf.Tensor): LossTensor => t as unknown as LossTensor;

/** The part of a batch gathered for `gathered` that a `kind` model reads (an 'av' batch is [audio, mask, video, mask]). */
function inputsOf(host: HostBatch, gathered: ModelKind, kind: ModelKind): HostBatch {
  if (gathered === kind) return host;
  if (gathered === 'av' && kind === 'audio') return { ...host, inputs: host.inputs.slice(0, 2) };
  if (gathered === 'av' && kind === 'video') return { ...host, inputs: host.inputs.slice(2, 4) };
  throw new Error(`a '${gathered}' batch has no inputs for a '${kind}' model`);
}

/** The objective's parameters from the task, each present, finite and within its rule (error names the field). */
function checkParams(objective: Objective, params: Record<string, number>, context: string): Record<string, number> {
  for (const [name, rule] of Object.entries(objective.params ?? {})) {
    const value = params[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || !rule.ok(value)) {
      throw new Error(`${context}: params.${name} = ${JSON.stringify(value)} is invalid: ${rule.allowed}`);
    }
  }
  return params;
}
