import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/model/backend.js';
import { disposeMomentum, sgdStep } from '../../src/train/sgd-step.js';

describe('sgdStep', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('clips by global norm, then adds weight decay, then applies momentum (PyTorch order)', () => {
    // loss = 3a + 4b → gradient (3, 4), norm 5; clip 1 scales it to (0.6, 0.8) (up to the 1e-6 guard).
    const a = tf.variable(tf.scalar(1), true, 'sgd-test-a');
    const b = tf.variable(tf.scalar(2), true, 'sgd-test-b');
    const hyper = { epochs: 1, batchSize: 1, lr: 0.1, momentum: 0.5, weightDecay: 0.01, clipNorm: 1 };
    const before = tf.memory().numTensors;
    const optimizer = tf.train.momentum(hyper.lr, hyper.momentum);
    const loss = () => tf.add(tf.mul(3, a), tf.mul(4, b)) as tf.Scalar;
    expect(sgdStep(optimizer, [a, b], loss, hyper)).toBeCloseTo(11, 6);
    // step 1: d = g·s + wd·w = (0.6 + 0.01, 0.8 + 0.02); buf = d; w -= lr·buf.
    const a1 = 1 - 0.1 * 0.61;
    const b1 = 2 - 0.1 * 0.82;
    expect(a.dataSync()[0]).toBeCloseTo(a1, 5);
    expect(b.dataSync()[0]).toBeCloseTo(b1, 5);
    sgdStep(optimizer, [a, b], loss, hyper);
    // step 2: buf = 0.5·buf + (g·s + wd·w1).
    expect(a.dataSync()[0]).toBeCloseTo(a1 - 0.1 * (0.5 * 0.61 + 0.6 + 0.01 * a1), 5);
    expect(b.dataSync()[0]).toBeCloseTo(b1 - 0.1 * (0.5 * 0.82 + 0.8 + 0.01 * b1), 5);
    disposeMomentum(optimizer);
    expect(tf.memory().numTensors).toBe(before);
    a.dispose();
    b.dispose();
  });

  it('does not clip a gradient below the clip norm, and clipNorm 0 disables clipping', () => {
    const a = tf.variable(tf.scalar(0), true, 'sgd-test-c');
    const optimizer = tf.train.momentum(1, 0);
    sgdStep(optimizer, [a], () => tf.mul(3, a) as tf.Scalar, { epochs: 1, batchSize: 1, lr: 1, momentum: 0, weightDecay: 0, clipNorm: 10 });
    expect(a.dataSync()[0]).toBeCloseTo(-3, 6);
    sgdStep(optimizer, [a], () => tf.mul(30, a) as tf.Scalar, { epochs: 1, batchSize: 1, lr: 1, momentum: 0, weightDecay: 0, clipNorm: 0 });
    expect(a.dataSync()[0]).toBeCloseTo(-33, 5);
    disposeMomentum(optimizer);
    a.dispose();
  });
});
