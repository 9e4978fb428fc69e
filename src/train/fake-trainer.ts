/**
 * A deterministic stand-in for real training, for protocol tests and engine benchmarks: no tfjs.
 * An update moves every weight by a small amount derived from (task seed, key), so updates differ
 * per client and round and any mix-up in aggregation shows in the weights hash. Evaluation
 * "predicts" the true label for a fraction of samples that grows with the mean weight value.
 */
import { openStream } from '../core/seed-streams.js';
import { sortKeys, type WeightMap } from '../core/weights.js';
import { modulesOf } from '../model/model-kinds.js';
import type { ModelKind } from '../model/model-config.js';
import type { EvalResult, EvalTask, TrainResult, TrainTask, Trainer } from '../protocol/trainer.js';

/** Options of the fake trainer. */
export interface FakeTrainerOptions {
  /** Label of each sample index (e.g. the store's labels). */
  labels: Int32Array;
  numClasses: number;
  /** Floats per module in the fake weights. */
  paramsPerModule?: number;
  /** Task seeds (or substrings) whose training rejects, to test failure handling. */
  failSeeds?: string[];
}

/** Fake trainer: fast, deterministic, and honest about what it is (`backend = 'fake'`). */
export class FakeTrainer implements Trainer {
  readonly backend = 'fake';
  /** Every training task seen, in submission order (for assertions in tests). */
  readonly trained: TrainTask[] = [];

  constructor(private readonly options: FakeTrainerOptions) {}

  async initWeights(models: ModelKind[], seed: string): Promise<WeightMap> {
    const out: WeightMap = {};
    for (const module of new Set(models.flatMap(modulesOf))) {
      const stream = openStream(`${seed}/${module}`);
      out[`${module}.w/kernel`] = Float32Array.from({ length: this.options.paramsPerModule ?? 4 }, () => stream.next() - 0.5);
    }
    return sortKeys(out);
  }

  async train(task: TrainTask): Promise<TrainResult> {
    this.trained.push(task);
    if (this.options.failSeeds?.some((s) => task.seed.includes(s))) throw new Error(`fake failure for task ${task.seed}`);
    // Whatever the objective, the update moves the trained modules of the task's weights.
    const source = task.weights;
    const modules = task.trainModules ? new Set(task.trainModules) : null;
    const out: WeightMap = {};
    for (const key of Object.keys(source).sort()) {
      if (modules && !modules.has(key.slice(0, key.indexOf('.')))) continue;
      const stream = openStream(`${task.seed}/${key}`);
      out[key] = source[key].map((v) => v + 0.01 * (stream.next() - 0.25));
    }
    return { weights: out, numSamples: task.sampleIndices.length, meanLoss: 1 / (1 + task.sampleIndices.length), steps: 1 };
  }

  async evaluate(task: EvalTask): Promise<EvalResult> {
    let sum = 0;
    let count = 0;
    for (const w of Object.values(task.weights)) for (const v of w) (sum += v), count++;
    const skill = Math.min(1, Math.max(0, 0.5 + sum / Math.max(1, count)));
    const labels = Int32Array.from(task.sampleIndices, (i) => this.options.labels[i]);
    const stream = openStream(`eval/${sum}`);
    const predictions = labels.map((y) => (stream.next() < skill ? y : (y + 1) % this.options.numClasses));
    return { predictions, labels, meanLoss: 1 - skill };
  }

  async close(): Promise<void> {}
}
