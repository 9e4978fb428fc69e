/**
 * Parity with PyTorch: the engine's models against a PyTorch transcription of FedMultimodal's
 * (scripts/parity/fedmultimodal_torch.py), through committed goldens (test/fixtures/parity, written
 * by scripts/parity/make_parity_golden.py; this test needs no torch). The same initial weights, the
 * same batches of clips of mixed lengths in the same order, dropout off: logits, loss, gradients,
 * the weights after one step and after every step of two local epochs, and each step's loss must
 * agree within float32 tolerances. Dropout on: the statistics of independent local epochs (mean
 * loss, distance moved) must agree within their sampling error. Run on wasm and on a backend with
 * only tfjs's stock kernels (the tfjs-node case).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WeightMap } from '../../src/core/weights.js';
import { initBackend } from '../../src/model/backend.js';
import { buildModel } from '../../src/model/build-model.js';
import { getWeightMap, setWeightMap, variablesByKey } from '../../src/model/weight-map.js';
import { gatherBatch, inputTensors, oneHotLabels } from '../../src/train/batches.js';
import { crossEntropy } from '../../src/train/losses.js';
import { runLocalStep } from '../../src/train/run-local-step.js';
import { disposeMomentum, sgdStep } from '../../src/train/sgd-step.js';
import type { ModelKind } from '../../src/model/model-config.js';
import { decode, engineWeights, goldenHyper, goldenStore, loadGolden, type Golden } from '../helpers/parity-golden.js';
import { useStandInBackend } from '../helpers/stand-in-backend.js';

/**
 * Tolerances, about ten times the differences measured on wasm and cpu (logits within 6e-8, weights
 * after 12–16 steps within 6e-8): float32 round-off of different summation orders, nothing more.
 * Forward values: |engine − torch| ≤ atol + rtol·|torch|.
 */
const FORWARD = { atol: 5e-7, rtol: 1e-5 };
/** Gradients, relative to the largest gradient entry of the same tensor. */
const GRADIENT_RTOL = 2e-5;
/** Weights after one step and after every step of four local epochs (absolute). */
const WEIGHTS_AFTER_ONE = 2e-7;
const WEIGHTS_AFTER_ALL = 1e-6;

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol: number, rtol: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const excess = Math.abs(actual[i] - expected[i]) - (atol + rtol * Math.abs(expected[i]));
    if (excess > worst) {
      worst = excess;
      at = i;
    }
  }
  expect(at, `${what}: index ${at}: engine ${actual[at]} vs torch ${expected[at]}`).toBe(-1);
}

function maxAbsDiff(a: WeightMap, b: WeightMap): { diff: number; key: string } {
  let diff = 0;
  let key = '';
  for (const k of Object.keys(b)) {
    for (let i = 0; i < b[k].length; i++) {
      const d = Math.abs(a[k][i] - b[k][i]);
      if (d > diff) [diff, key] = [d, k];
    }
  }
  return { diff, key };
}

function meanAndSe(xs: readonly number[]): { mean: number; se: number; sd: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
  return { mean, se: sd / Math.sqrt(xs.length), sd };
}

const KINDS: ModelKind[] = ['audio', 'video', 'av'];
const BACKENDS = ['wasm', 'stand-in'] as const;

describe.each(BACKENDS)('parity with PyTorch (FedMultimodal models) on %s', (backend) => {
  beforeAll(async () => {
    if (backend === 'wasm') await initBackend('wasm');
    else await useStandInBackend();
  });

  describe.each(KINDS)('%s model', (kind) => {
    const golden: Golden = loadGolden(kind);
    const store = goldenStore(golden);
    const zeroVideo = (batch: number[]) => golden.samples[batch[0]].video === null;

    it('forward logits, loss and gradients at PyTorch\'s initial weights (dropout off)', () => {
      const built = buildModel(golden.config, kind);
      setWeightMap(built, engineWeights(golden, golden.init));
      built.control.training = false;
      golden.batches.forEach((batch, b) => {
        const logits = tf.tidy(() => (built.model.apply(inputTensors(gatherBatch(store, golden.config, kind, batch, zeroVideo(batch)))) as tf.Tensor).dataSync());
        expectClose(logits, decode(golden.logits0[b]).data, FORWARD.atol, FORWARD.rtol, `logits of batch ${b}`);
      });
      const host = gatherBatch(store, golden.config, kind, golden.batches[0], zeroVideo(golden.batches[0]));
      const variables = [...variablesByKey(built)];
      const { value, grads } = tf.tidy(() =>
        tf.variableGrads(() => crossEntropy(built.model.apply(inputTensors(host)) as tf.Tensor2D, oneHotLabels(host, golden.config.numClasses)), variables.map(([, v]) => v)),
      );
      expectClose([value.dataSync()[0]], [golden.loss0], FORWARD.atol, FORWARD.rtol, 'loss of batch 0');
      const expected = engineWeights(golden, golden.grads0);
      for (const [key, variable] of variables) {
        const want = expected[key];
        const scale = want.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
        expectClose(grads[variable.name].dataSync(), want, GRADIENT_RTOL * scale, 0, `gradient of ${key}`);
      }
      tf.dispose([value, ...Object.values(grads)]);
    });

    it('weights after one step and after four local epochs, and every step\'s loss (dropout off)', () => {
      const built = buildModel(golden.config, kind);
      setWeightMap(built, engineWeights(golden, golden.init));
      built.control.training = false;
      const variables = [...variablesByKey(built).values()];
      const optimizer = tf.train.momentum(golden.hyper.lr, golden.hyper.momentum);
      const hyper = goldenHyper(golden, 1);
      try {
        golden.batches.forEach((batch, step) => {
          const host = gatherBatch(store, golden.config, kind, batch, zeroVideo(batch));
          const loss = sgdStep(optimizer, variables, () => crossEntropy(built.model.apply(inputTensors(host)) as tf.Tensor2D, oneHotLabels(host, golden.config.numClasses)), hyper);
          expectClose([loss], [golden.losses[step]], 1e-5, 1e-4, `loss of step ${step}`);
          const last = step === golden.batches.length - 1;
          if (step === 0 || last) {
            const { diff, key } = maxAbsDiff(getWeightMap(built), engineWeights(golden, golden.afterStep[step]));
            expect(diff, `weights after step ${step + 1} (worst: ${key})`).toBeLessThan(last ? WEIGHTS_AFTER_ALL : WEIGHTS_AFTER_ONE);
          }
        });
      } finally {
        disposeMomentum(optimizer);
      }
    });

    it('tells semantics apart: per-clip pooling (the engine before this harness) misses PyTorch by far more than the tolerance', () => {
      const config = { ...golden.config, pooling: 'per-clip' as const };
      const built = buildModel(config, kind);
      setWeightMap(built, engineWeights(golden, golden.init));
      let worst = 0;
      golden.batches.forEach((batch, b) => {
        const logits = tf.tidy(() => (built.model.apply(inputTensors(gatherBatch(store, config, kind, batch, zeroVideo(batch)))) as tf.Tensor).dataSync());
        const want = decode(golden.logits0[b]).data;
        for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(logits[i] - want[i]));
      });
      expect(worst).toBeGreaterThan(1e-3);
    });

    it('with dropout on, a local epoch\'s mean loss and distance moved agree with PyTorch\'s within sampling error', () => {
      const init = engineWeights(golden, golden.init);
      const { repeats, samples } = golden.dropout;
      const meanLoss: number[] = [];
      const distance: number[] = [];
      for (let r = 0; r < repeats; r++) {
        const result = runLocalStep(
          { kind: 'supervised', model: kind, weights: init, sampleIndices: samples, hyper: goldenHyper(golden, 1), seed: `parity-${kind}-${r}` },
          store,
          golden.config,
        );
        meanLoss.push(result.meanLoss);
        let squares = 0;
        for (const key of Object.keys(init)) for (let i = 0; i < init[key].length; i++) squares += (result.weights[key][i] - init[key][i]) ** 2;
        distance.push(Math.sqrt(squares));
      }
      for (const [what, ours, theirs] of [['mean loss', meanLoss, golden.dropout.meanLoss], ['distance moved', distance, golden.dropout.distance]] as const) {
        const e = meanAndSe(ours);
        const t = meanAndSe(theirs);
        const z = Math.abs(e.mean - t.mean) / Math.sqrt(e.se ** 2 + t.se ** 2);
        expect(z, `${what}: engine ${e.mean.toFixed(4)} ± ${e.se.toFixed(4)} vs torch ${t.mean.toFixed(4)} ± ${t.se.toFixed(4)}`).toBeLessThan(4);
        expect(e.sd / t.sd, `${what}: spread engine ${e.sd.toFixed(4)} vs torch ${t.sd.toFixed(4)}`).toBeGreaterThan(0.4);
        expect(e.sd / t.sd, `${what}: spread engine ${e.sd.toFixed(4)} vs torch ${t.sd.toFixed(4)}`).toBeLessThan(2.5);
      }
    });
  });
});
