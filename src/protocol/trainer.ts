/**
 * Training and evaluation tasks: pure values in, pure values out. A task's result is a function of
 * its fields (and the backend) only, so it does not matter which worker runs it or when.
 */
import type { WeightMap } from '../core/weights.js';
import type { ModelKind } from '../model/model-config.js';

/** Local optimisation settings (FedMultimodal: SGD momentum 0.9, lr 0.05, wd 1e-5, batch 16, clip 10). */
export interface TrainHyper {
  epochs: number;
  batchSize: number;
  lr: number;
  momentum: number;
  weightDecay: number;
  /** Global gradient-norm clip; 0 disables. */
  clipNorm: number;
}

/**
 * One local training step, bound to a client's samples and seed: train `model` (its `trainModules`)
 * with the objective named `kind` (src/protocol/local-step.ts). Objectives are found by name in
 * the registry (src/strategies/registry.ts), so any worker can run any registered one.
 */
export interface TrainTask {
  /** The objective's registered name, e.g. 'supervised', 'distill', 'fedprox'. */
  kind: string;
  model: ModelKind;
  /** Weights of every module the model uses (see modulesOf in src/model). */
  weights: WeightMap;
  /** Modules whose weights change; the rest are frozen. Default: all modules of the model. */
  trainModules?: string[];
  /** Weights of the objective's frozen model (e.g. a distillation teacher). */
  frozen?: WeightMap;
  /** Numbers the objective reads (e.g. alpha and temperature, or mu). */
  params?: Record<string, number>;
  /** Indices into the FeatureStore. */
  sampleIndices: number[];
  /** Feed zeros (length 0) instead of video for every sample: a client without video in MultiFL. */
  zeroVideo?: boolean;
  /** Train on labels shifted by this many classes (a label-flipping client; default 0). */
  labelShift?: number;
  hyper: TrainHyper;
  /** Seed string for data order and dropout; derive it with the seed tree, e.g. seedKey(root,'train',client,round). */
  seed: string;
}

/** Plain supervised training (cross-entropy): a TrainTask of the 'supervised' objective. */
export type SupervisedTask = TrainTask & { kind: 'supervised' };

/** What local training returns. */
export interface TrainResult {
  /** Updated weights of the trained modules only (frozen modules are not returned). */
  weights: WeightMap;
  numSamples: number;
  /** Mean training loss over all steps. */
  meanLoss: number;
  steps: number;
}

/** Scoring a model on a list of samples. */
export interface EvalTask {
  model: ModelKind;
  weights: WeightMap;
  sampleIndices: number[];
  /** Evaluate with video zeroed (audio-only evaluation of an audio-visual model). */
  zeroVideo?: boolean;
  batchSize: number;
}

/** Raw predictions; metrics are computed from them in src/metrics. */
export interface EvalResult {
  predictions: Int32Array;
  labels: Int32Array;
  meanLoss: number;
}

/** Anything that can train and evaluate: the piscina pool, an in-thread trainer, or a fake for protocol tests. */
export interface Trainer {
  /** Backend the trainer computes with (`tensorflow`, `wasm`, `cpu`, or `fake`). */
  readonly backend: string;
  /** Fresh, seeded initial weights for every module of the given models. */
  initWeights(models: ModelKind[], seed: string): Promise<WeightMap>;
  train(task: TrainTask): Promise<TrainResult>;
  evaluate(task: EvalTask): Promise<EvalResult>;
  close(): Promise<void>;
}
