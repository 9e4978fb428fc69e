import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/model/backend.js';
import type { LossTensor } from '../../src/protocol/local-step.js';
import { distill } from '../../src/strategies/modality-mirror.js';
import { lossOps } from '../../src/train/loss-ops.js';
import { crossEntropy } from '../../src/train/losses.js';

const ops = lossOps(() => tf.scalar(0));
const as = (t: tf.Tensor) => t as unknown as LossTensor;

/** ModalityMirror's distillation loss (its objective, built from the trainer's ops) on given logits. */
function distillLoss(student: tf.Tensor2D, teacher: tf.Tensor2D, labels: tf.Tensor2D, alpha: number, temperature: number): tf.Scalar {
  return distill.loss({ logits: as(student), labels: as(labels), frozenLogits: as(teacher), params: { alpha, temperature }, ops }) as unknown as tf.Scalar;
}

describe('losses', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('cross-entropy of logits [0, ln 3] with label 1 is -ln(3/4)', () => {
    const value = crossEntropy(tf.tensor2d([[0, Math.log(3)]]), tf.tensor2d([[0, 1]])).dataSync()[0];
    expect(value).toBeCloseTo(-Math.log(3 / 4), 6);
  });

  it('distillLoss matches a hand computation', () => {
    // One sample, two classes, T = 2, alpha = 0.25.
    // Student logits [0, 2·ln 3]: CE with label 0 = -ln(1/10) = ln 10.
    //   softmax(s/T) = softmax([0, ln 3]) = [1/4, 3/4].
    // Teacher logits [2·ln 3, 0]: softmax(t/T) = [3/4, 1/4].
    // KL(p‖q) = 3/4·ln(3) + 1/4·ln(1/3) = ln 3 / 2.
    // loss = 0.25·ln 10 + 0.75·4·(ln 3 / 2).
    const student = tf.tensor2d([[0, 2 * Math.log(3)]]);
    const teacher = tf.tensor2d([[2 * Math.log(3), 0]]);
    const labels = tf.tensor2d([[1, 0]]);
    const expected = 0.25 * Math.log(10) + 0.75 * 4 * (Math.log(3) / 2);
    expect(distillLoss(student, teacher, labels, 0.25, 2).dataSync()[0]).toBeCloseTo(expected, 5);
  });

  it('distillLoss is plain cross-entropy at alpha = 1 and averages the KL over the batch', () => {
    const student = tf.tensor2d([[0.3, -1, 2], [1, 1, 1]]);
    const teacher = tf.tensor2d([[2, 0, 0], [1, 1, 1]]);
    const labels = tf.tensor2d([[0, 0, 1], [1, 0, 0]]);
    const ce = crossEntropy(student, labels).dataSync()[0];
    expect(distillLoss(student, teacher, labels, 1, 3).dataSync()[0]).toBeCloseTo(ce, 6);
    // Second row: identical distributions → KL 0, so the batch KL is half of the first row's.
    const rowOne = distillLoss(student.slice(0, 1), teacher.slice(0, 1), labels.slice(0, 1), 0, 1).dataSync()[0];
    expect(distillLoss(student, teacher, labels, 0, 1).dataSync()[0]).toBeCloseTo(rowOne / 2, 6);
  });

  it('its parameter rules refuse alpha outside [0, 1] and a non-positive temperature', () => {
    expect(distill.params!.alpha.ok(1.5)).toBe(false);
    expect(distill.params!.alpha.ok(1)).toBe(true);
    expect(distill.params!.temperature.ok(0)).toBe(false);
    expect(distill.params!.temperature.ok(0.5)).toBe(true);
  });
});
