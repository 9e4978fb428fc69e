/**
 * The audio conv blocks skip the steps no counted GRU step reads (src/model/conv-stack-rows.ts):
 * - convBlockRows gives exactly the steps a brute-force dependency walk marks as read, for stacks of
 *   1–3 blocks, odd and even kernels and lengths;
 * - the SIMD convolution with `rows` computes the leading steps bit for bit as without, zeros after;
 * - the patch-free filter gradient equals tfjs-wasm's Conv2DBackpropFilter (XNNPACK path) bit for
 *   bit, and with `rows` equals the same sum with the skipped steps left out;
 * - a block given the mask writes zeros where it skipped (so the skipping really happens), and whole
 *   local training steps, distillation steps and evaluations give the same weights, losses and
 *   predictions with the skipping (SIMD product on) as the stock kernels over every step (off).
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/model/backend.js';
import { convBlockRows, countedSteps } from '../../src/model/conv-stack-rows.js';
import { Conv1dBlock } from '../../src/model/conv1d-block.js';
import { conv1dSimd } from '../../src/model/kernels/conv1d-simd.js';
import { conv1dFilterGradSimd, conv1dFilterGradSimdAvailable } from '../../src/model/kernels/conv1d-filter-grad-simd.js';
import { setSimdGemmEnabled } from '../../src/model/kernels/simd-gemm.js';
import { openStream } from '../../src/core/seed-streams.js';
import { allocateStore, writeSequence } from '../../src/data/shared-store.js';
import { initWeights } from '../../src/train/init-weights.js';
import { runEvaluate } from '../../src/train/run-evaluate.js';
import { runLocalStep } from '../../src/train/run-local-step.js';
import type { ModelConfig } from '../../src/model/model-config.js';
import type { WeightMap } from '../../src/core/weights.js';
import { bitDiffs, signedValues } from '../helpers/bit-values.js';

const values = signedValues;

afterEach(() => setSimdGemmEnabled(true));

/** Steps read per block by walking the dependencies back from the counted GRU steps: [conv read, input read] per block, as 1 + last index. */
function bruteForceRows(counted: number, inFrames: number, count: number, k: number): Array<{ conv: number; input: number }> {
  const left = Math.floor((k - 1) / 2);
  const right = k - 1 - left;
  const frames = [inFrames];
  for (let j = 0; j < count; j++) frames.push(Math.floor(frames[j] / 2));
  let needed = new Set<number>();
  for (let t = 0; t < Math.min(counted, frames[count]); t++) needed.add(t);
  const out: Array<{ conv: number; input: number }> = [];
  for (let j = count - 1; j >= 0; j--) {
    const conv = new Set<number>();
    for (const p of needed) for (const t of [2 * p, 2 * p + 1]) if (t < frames[j]) conv.add(t);
    const input = new Set<number>();
    for (const t of conv) for (let s = t - left; s <= t + right; s++) if (s >= 0 && s < frames[j]) input.add(s);
    const last = (set: Set<number>) => (set.size === 0 ? 0 : Math.max(...set) + 1);
    // The sets are prefixes, so "1 + last" is their size too.
    expect(last(conv)).toBe(conv.size);
    out.unshift({ conv: last(conv), input: last(input) });
    needed = input;
  }
  return out;
}

describe('convBlockRows', () => {
  it('marks exactly the steps a dependency walk from the counted GRU steps reads', () => {
    let cases = 0;
    for (const count of [1, 2, 3]) {
      for (const k of [1, 3, 4, 5]) {
        for (const inFrames of [2 ** count, 13, 26, 61, 102]) {
          const steps = Math.floor(inFrames / 2 ** count);
          for (let counted = 0; counted <= steps + 1; counted++) {
            const expected = bruteForceRows(counted, inFrames, count, k);
            let frames = inFrames;
            for (let index = 0; index < count; index++) {
              const rows = convBlockRows([counted, steps], frames, index, count, k);
              expect(rows.conv[0], JSON.stringify({ count, k, inFrames, counted, index })).toBe(expected[index].conv);
              expect(rows.input[0]).toBe(expected[index].input);
              // A clip counting every step needs every conv step of the last block's pooled range.
              expect(rows.conv[1]).toBe(bruteForceRows(steps, inFrames, count, k)[index].conv);
              frames = Math.floor(frames / 2);
              cases++;
            }
          }
        }
      }
    }
    expect(cases).toBeGreaterThan(1000);
  });

  it('reads the counted steps of a mask as one past its last nonzero step', () => {
    expect(countedSteps([1, 1, 0, 0, 1, 0, 0, 0, 0], 3, 3)).toEqual([2, 2, 0]);
  });
});

describe('the SIMD convolution and filter gradient on wasm', () => {
  const shapes = [
    { B: 16, T: 99, cin: 80, cout: 32, k: 5 },
    { B: 4, T: 41, cin: 32, cout: 64, k: 5 },
    { B: 3, T: 6, cin: 13, cout: 8, k: 3 },
    { B: 2, T: 2, cin: 8, cout: 16, k: 5 },
  ];
  for (const s of shapes) {
    const key = JSON.stringify(s);
    const rows = Array.from({ length: s.B }, (_, b) => (b * 7) % (s.T + 1));

    it(`convolves the leading rows as without rows, zeros after: ${key}`, async () => {
      await initBackend('wasm');
      tf.tidy(() => {
        const x = tf.tensor3d(values(s.B * s.T * s.cin, `x${key}`), [s.B, s.T, s.cin]);
        const w = tf.tensor3d(values(s.k * s.cin * s.cout, `w${key}`), [s.k, s.cin, s.cout]);
        const bias = tf.tensor1d(values(s.cout, `b${key}`));
        const left = Math.floor((s.k - 1) / 2);
        const attrs = { padBefore: left, padAfter: s.k - 1 - left, relu: true, biasLast: true };
        const full = conv1dSimd(x, w, bias, attrs).arraySync();
        const cut = conv1dSimd(x, w, bias, { ...attrs, rows }).arraySync();
        for (let b = 0; b < s.B; b++) {
          for (let t = 0; t < s.T; t++) {
            const expected = t < rows[b] ? full[b][t] : new Array(s.cout).fill(0);
            expect(bitDiffs(cut[b][t], expected), `b ${b} t ${t}`).toBe(0);
          }
        }
      });
    });

    it(`computes the filter gradient as XNNPACK's patch product, and skips rows as the sum without them: ${key}`, async () => {
      await initBackend('wasm');
      expect(conv1dFilterGradSimdAvailable(s.cout)).toBe(true);
      const left = Math.floor((s.k - 1) / 2);
      const right = s.k - 1 - left;
      const xs = values(s.B * s.T * s.cin, `fx${key}`);
      const dzs = values(s.B * s.T * s.cout, `fdz${key}`);
      const x = tf.tensor3d(xs, [s.B, s.T, s.cin]);
      const dz = tf.tensor3d(dzs, [s.B, s.T, s.cout]);
      const ours = conv1dFilterGradSimd(x, dz, { kernelSize: s.k, padBefore: left, padAfter: right, rows: null });
      const cut = conv1dFilterGradSimd(x, dz, { kernelSize: s.k, padBefore: left, padAfter: right, rows });
      // The stock path: tfjs's Conv2DBackpropFilter on wasm with our product off (patches + XNNPACK).
      setSimdGemmEnabled(false);
      const stock = tf.engine().runKernel(tf.Conv2DBackpropFilter, {
        x: tf.reshape(x, [s.B, 1, s.T, s.cin]), dy: tf.reshape(dz, [s.B, 1, s.T, s.cout]),
      }, { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: [1, s.k, s.cin, s.cout] } as unknown as tf.NamedAttrMap) as tf.Tensor;
      expect(bitDiffs(ours.dataSync(), stock.dataSync())).toBe(0);
      // The skipped sum in the same order: over b, then t < rows[b], float32 rounding per add.
      const expected = new Float32Array(s.k * s.cin * s.cout);
      for (let j = 0; j < s.k; j++) {
        for (let ci = 0; ci < s.cin; ci++) {
          for (let co = 0; co < s.cout; co++) {
            let acc = 0;
            for (let b = 0; b < s.B; b++) {
              for (let t = 0; t < rows[b]; t++) {
                const at = t + j - left;
                const xv = at >= 0 && at < s.T ? xs[(b * s.T + at) * s.cin + ci] : 0;
                acc = Math.fround(acc + Math.fround(xv * dzs[(b * s.T + t) * s.cout + co]));
              }
            }
            expected[(j * s.cin + ci) * s.cout + co] = acc;
          }
        }
      }
      expect(bitDiffs(cut.dataSync(), expected)).toBe(0);
      tf.dispose([x, dz, ours, cut, stock]);
    });
  }
});

/** A store of clips 10–48 frames long with SIMD-sized channels (multiples of 8). */
const CONFIG: ModelConfig = {
  numClasses: 3,
  audio: { frames: 48, dims: 8, convChannels: [8, 16, 24], kernelSize: 5, gruUnits: 8 },
  video: { frames: 4, dims: 8, gruUnits: 8 },
  headHidden: 8,
  dropout: 0.1,
};

function store() {
  const s = allocateStore({ name: 'rows', numSamples: 40, numClasses: 3, audio: { frames: 48, dims: 8 }, video: { frames: 4, dims: 8 } });
  const r = openStream('conv-rows-store');
  for (let i = 0; i < 40; i++) {
    s.labels[i] = i % 3;
    const len = 10 + r.int(39);
    writeSequence(s.audio, i, new Float32Array(len * 8).map((_, j) => r.normal() * 0.5 + (j % 8 === i % 3 ? 1 : 0)), len);
    writeSequence(s.video!, i, new Float32Array(4 * 8).map(() => r.normal()), 4);
  }
  return s;
}

describe('audio conv blocks skipping unread steps', () => {
  it('write zeros where they skipped: the pooled output after a short clip\'s needed steps', async () => {
    await initBackend('wasm');
    const block = new Conv1dBlock({ name: 'rows.conv1', filters: 8, kernelSize: 5, inputGradient: false, stack: { index: 0, count: 3 } });
    const x = tf.tensor3d(values(2 * 48 * 8, 'block-x'), [2, 48, 8]);
    // Clip 0 counts 1 GRU step (needs conv steps 0..19), clip 1 all 6.
    const mask = tf.tensor2d([[1, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1]]);
    const skipped = block.apply([x, mask]) as tf.Tensor;
    block.setWeights([tf.tensor3d(values(5 * 8 * 8, 'block-w'), [5, 8, 8]), tf.fill([8], 0.5)]);
    const y = (block.apply([x, mask]) as tf.Tensor).arraySync() as number[][][];
    expect(convBlockRows([1, 6], 48, 0, 3, 5).conv).toEqual([20, 48]);
    // With a positive bias and no skipping, ReLU(bias + ...) would rarely be exactly 0 everywhere.
    expect(y[0].slice(10).flat().every((v) => v === 0)).toBe(true);
    expect(y[0].slice(0, 10).flat().filter((v) => v > 0).length).toBeGreaterThan(40);
    expect(y[1].slice(10).flat().filter((v) => v > 0).length).toBeGreaterThan(50);
    tf.dispose([x, mask, skipped]);
  });

  it('leave every weight, loss and prediction of training, distillation and evaluation as the stock kernels give them', async () => {
    await initBackend('wasm');
    const data = store();
    const weights = initWeights(CONFIG, ['audio', 'video', 'av'], 'rows-init');
    const hyper = { epochs: 2, batchSize: 8, lr: 0.05, momentum: 0.9, weightDecay: 1e-5, clipNorm: 10 };
    const indices = Array.from({ length: 32 }, (_, i) => i);
    const runAll = () => {
      const audio = runLocalStep({ kind: 'supervised', model: 'audio', weights, sampleIndices: indices, hyper, seed: 's' }, data, CONFIG);
      const av = runLocalStep({ kind: 'supervised', model: 'av', weights, sampleIndices: indices, hyper, seed: 's' }, data, CONFIG);
      const distill = runLocalStep({ kind: 'distill', model: 'audio', weights, frozen: weights, sampleIndices: indices, hyper, seed: 's', params: { alpha: 0.5, temperature: 2 } }, data, CONFIG);
      const trained: WeightMap = { ...weights, ...audio.weights };
      const scored = runEvaluate({ model: 'audio', weights: trained, sampleIndices: [32, 33, 34, 35, 36, 37, 38, 39], batchSize: 4 }, data, CONFIG);
      return { audio, av, distill, scored };
    };
    const on = runAll();
    setSimdGemmEnabled(false);
    const off = runAll();
    for (const part of ['audio', 'av', 'distill'] as const) {
      expect(on[part].meanLoss, part).toBe(off[part].meanLoss);
      for (const [name, value] of Object.entries(off[part].weights)) {
        expect(bitDiffs(on[part].weights[name], value), `${part} ${name}`).toBe(0);
      }
    }
    expect(on.scored.meanLoss).toBe(off.scored.meanLoss);
    expect(on.scored.predictions).toEqual(off.scored.predictions);
  });
});
