/**
 * How far the engine's models are from PyTorch's on the parity goldens (test/fixtures/parity), per
 * backend and per sequence semantics: the largest |engine − PyTorch| of the logits at the initial
 * weights, of the step losses, and of the weights after the first and after the last step of four
 * local epochs (dropout off). 'per-clip' is the engine's pooling before the parity harness; the
 * table in docs/parity.md comes from this command.
 *
 *   npm run bench:parity
 */
import * as tf from '@tensorflow/tfjs';
import Table from 'cli-table3';
import type { WeightMap } from '../src/core/weights.js';
import { initBackend } from '../src/model/backend.js';
import { buildModel } from '../src/model/build-model.js';
import { getWeightMap, setWeightMap, variablesByKey } from '../src/model/weight-map.js';
import { gatherBatch, inputTensors, oneHotLabels } from '../src/train/batches.js';
import { crossEntropy } from '../src/train/losses.js';
import { disposeMomentum, sgdStep } from '../src/train/sgd-step.js';
import type { ModelKind, SequencePooling } from '../src/model/model-config.js';
import { decode, engineWeights, goldenHyper, goldenStore, loadGolden } from '../test/helpers/parity-golden.js';
import { useStandInBackend } from '../test/helpers/stand-in-backend.js';

function maxDiff(a: WeightMap, b: WeightMap): number {
  let d = 0;
  for (const k of Object.keys(b)) for (let i = 0; i < b[k].length; i++) d = Math.max(d, Math.abs(a[k][i] - b[k][i]));
  return d;
}

/** Largest differences for one model kind under one semantics on the active backend. */
function measure(kind: ModelKind, pooling: SequencePooling): { logits: number; loss: number; first: number; last: number; steps: number } {
  const golden = loadGolden(kind);
  const config = { ...golden.config, pooling };
  const store = goldenStore(golden);
  const zeroVideo = (batch: number[]) => golden.samples[batch[0]].video === null;
  const built = buildModel(config, kind);
  setWeightMap(built, engineWeights(golden, golden.init));
  let logits = 0;
  golden.batches.forEach((batch, b) => {
    const got = tf.tidy(() => (built.model.apply(inputTensors(gatherBatch(store, config, kind, batch, zeroVideo(batch)))) as tf.Tensor).dataSync());
    const want = decode(golden.logits0[b]).data;
    for (let i = 0; i < want.length; i++) logits = Math.max(logits, Math.abs(got[i] - want[i]));
  });
  const variables = [...variablesByKey(built).values()];
  const optimizer = tf.train.momentum(golden.hyper.lr, golden.hyper.momentum);
  let loss = 0;
  let first = 0;
  let last = 0;
  golden.batches.forEach((batch, step) => {
    const host = gatherBatch(store, config, kind, batch, zeroVideo(batch));
    const value = sgdStep(optimizer, variables, () => crossEntropy(built.model.apply(inputTensors(host)) as tf.Tensor2D, oneHotLabels(host, config.numClasses)), goldenHyper(golden, 1));
    loss = Math.max(loss, Math.abs(value - golden.losses[step]));
    if (step === 0) first = maxDiff(getWeightMap(built), engineWeights(golden, golden.afterStep[0]));
    if (step === golden.batches.length - 1) last = maxDiff(getWeightMap(built), engineWeights(golden, golden.afterStep[step]));
  });
  disposeMomentum(optimizer);
  return { logits, loss, first, last, steps: golden.batches.length };
}

const table = new Table({ style: { head: [], border: [] }, head: ['backend', 'pooling', 'model', 'logits', 'step losses', 'weights after 1 step', 'weights after last step'] });
const fmt = (x: number) => x.toExponential(1);
for (const backend of ['wasm', 'cpu', 'stand-in (stock kernels)'] as const) {
  if (backend === 'stand-in (stock kernels)') await useStandInBackend();
  else await initBackend(backend);
  for (const pooling of ['fedmultimodal', 'per-clip'] as const) {
    for (const kind of ['audio', 'video', 'av'] as const) {
      const m = measure(kind, pooling);
      table.push([backend, pooling, kind, fmt(m.logits), fmt(m.loss), fmt(m.first), `${fmt(m.last)} (${m.steps} steps)`]);
    }
  }
}
console.log('Largest |engine − PyTorch| on the parity goldens (dropout off; the weights are PyTorch\'s initial ones):');
console.log(table.toString());

