import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRunConfig } from '../../src/engine/build-run-config.js';
import { createTrainer } from '../../src/engine/create-trainer.js';
import { loadScenarioData } from '../../src/scenario/prepare-dataset.js';
import { runSimulation } from '../../src/engine/run-simulation.js';
import { initBackend } from '../../src/model/backend.js';
import type { LossTensor } from '../../src/protocol/local-step.js';
import { applyOverrides } from '../../src/scenario/overrides.js';
import { fedprox, proximal } from '../../src/strategies/fedprox.js';
import { initWeights } from '../../src/train/init-weights.js';
import { lossOps, StartDistance } from '../../src/train/loss-ops.js';
import { crossEntropy } from '../../src/train/losses.js';
import { runLocalStep } from '../../src/train/run-local-step.js';
import type { Trainer, TrainTask } from '../../src/protocol/trainer.js';
import { tinyScenario } from '../helpers/tiny-scenario.js';
import { range, TOY_CONFIG, TOY_HYPER, toyStore } from '../train/toy-data.js';

const as = (t: tf.Tensor) => t as unknown as LossTensor;

describe('FedProx: the proximal term', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('adds (mu/2)·‖w − w0‖² to the loss and mu·(w − w0) to the gradient (hand-computed)', () => {
    // w = {a: [1, 2], b: [[-1]]}, w0 = {a: [0.5, 0], b: [[1]]}: ‖w − w0‖² = 0.25 + 4 + 4 = 8.25.
    const a = tf.variable(tf.tensor1d([1, 2]), true, 'prox-a');
    const b = tf.variable(tf.tensor2d([[-1]]), true, 'prox-b');
    const start = new StartDistance([['a', a], ['b', b]], { a: Float32Array.from([0.5, 0]), b: Float32Array.from([1]) });
    // Logits that do not depend on w: the cross-entropy part has no gradient here.
    const logits = tf.tensor2d([[0, Math.log(3)]]);
    const labels = tf.tensor2d([[0, 1]]);
    const mu = 0.1;
    const { value, grads } = tf.variableGrads(
      () => proximal.loss({ logits: as(logits), labels: as(labels), params: { mu }, ops: lossOps(start.compute) }) as unknown as tf.Scalar,
      [a, b],
    );
    // CE of logits [0, ln 3] with label 1 is −ln(3/4); the proximal term is 0.05 × 8.25 = 0.4125.
    expect(value.dataSync()[0]).toBeCloseTo(-Math.log(3 / 4) + 0.4125, 6);
    const ga = Array.from(grads[a.name].dataSync());
    const gb = Array.from(grads[b.name].dataSync());
    [0.05, 0.2].forEach((g, i) => expect(ga[i]).toBeCloseTo(g, 7)); // 0.1 × (1 − 0.5), 0.1 × (2 − 0)
    expect(gb[0]).toBeCloseTo(-0.2, 7); // 0.1 × (−1 − 1)
    start.dispose();
    tf.dispose([a, b, logits, labels, value, ...Object.values(grads)]);
  });

  it('is no term at all at mu = 0: the loss is the cross-entropy and the start weights are never read', () => {
    let asked = 0;
    const logits = tf.tensor2d([[0.3, -1, 2], [1, 0, 1]]);
    const labels = tf.tensor2d([[0, 0, 1], [1, 0, 0]]);
    const ops = lossOps(() => {
      asked++;
      return tf.scalar(1);
    });
    const loss = proximal.loss({ logits: as(logits), labels: as(labels), params: { mu: 0 }, ops }) as unknown as tf.Tensor;
    expect(loss.dataSync()[0]).toBe(crossEntropy(logits, labels).dataSync()[0]);
    expect(asked).toBe(0);
  });

  it('in the trainer: mu = 0 gives the supervised weights bit for bit; a large mu keeps the weights nearer the start', () => {
    const store = toyStore();
    const start = initWeights(TOY_CONFIG, ['audio'], 'prox');
    const task = (kind: string, params?: Record<string, number>): TrainTask => ({ kind, model: 'audio', weights: start, ...(params ? { params } : {}), sampleIndices: range(60), hyper: { ...TOY_HYPER, epochs: 2 }, seed: 'p' });
    const plain = runLocalStep(task('supervised'), store, TOY_CONFIG);
    const zero = runLocalStep(task('fedprox', { mu: 0 }), store, TOY_CONFIG);
    for (const key of Object.keys(plain.weights)) expect(zero.weights[key], key).toEqual(plain.weights[key]);
    expect(zero.meanLoss).toBe(plain.meanLoss);
    const distance = (w: Record<string, Float32Array>) => Object.keys(w).reduce((s, k) => s + w[k].reduce((t, v, i) => t + (v - start[k][i]) ** 2, 0), 0);
    const strong = runLocalStep(task('fedprox', { mu: 5 }), store, TOY_CONFIG);
    expect(distance(strong.weights)).toBeLessThan(0.9 * distance(plain.weights));
    expect(() => runLocalStep(task('fedprox', { mu: -1 }), store, TOY_CONFIG)).toThrow("fedprox 'audio' task (seed p): params.mu = -1 is invalid: FedProx's proximal weight μ");
    expect(() => runLocalStep(task('fedprox'), store, TOY_CONFIG)).toThrow(/params\.mu = undefined is invalid/);
  });
});

describe('FedProx in a run (real tiny trainer)', () => {
  const trainers: Trainer[] = [];
  afterAll(async () => {
    for (const t of trainers) await t.close();
  });
  const run = async (method: string, set: string[] = []) => {
    const scenario = applyOverrides(tinyScenario({ algorithm: { name: method, rounds: 2 } }), set);
    const dataset = loadScenarioData(scenario, 'tiny');
    const config = buildRunConfig(scenario, dataset, 'tiny');
    const trainer = await createTrainer({ workers: 0, backend: 'wasm' }, dataset.store, config.model);
    trainers.push(trainer);
    return { config, result: await runSimulation(config, trainer) };
  };

  it('reads mu (default 0.01) and at mu = 0 ends with UniFL weights exactly; at mu > 0 it differs', async () => {
    const unifl = await run('unifl');
    const byDefault = await run('fedprox');
    expect(byDefault.config.settings.params.mu).toBe(fedprox.defaults.mu);
    expect(fedprox.defaults.mu).toBe(0.01);
    const zero = await run('fedprox', ['mu=0']);
    expect(zero.result.weightsHash).toBe(unifl.result.weightsHash);
    expect(zero.result.rounds.map((r) => r.succeeded)).toEqual(unifl.result.rounds.map((r) => r.succeeded));
    const strong = await run('fedprox', ['mu=1']);
    expect(strong.result.weightsHash).not.toBe(unifl.result.weightsHash);
    expect(strong.result.rounds.every((r) => r.status === 'ok')).toBe(true);
  });
});
