import { describe, expect, it } from 'vitest';
import { decode, encode, hashValue } from '../../src/core/codec.js';
import type { TrainRequest } from '../../src/protocol/messages.js';

describe('message and trace encoding (msgpackr)', () => {
  const message: TrainRequest = {
    type: 'train/request',
    round: 3,
    phase: 'distillation',
    deadlineAtMs: null,
    plan: {
      weights: { 'audio.conv1/kernel': Float32Array.from([0.5, -1.25, 3e-8]) },
      steps: [{ kind: 'distill', model: 'audio', params: { alpha: 0.5, temperature: 2 }, frozen: { 'fusion.out/bias': Float32Array.from([1, 2]) } }],
      hyper: { epochs: 1, batchSize: 16, lr: 0.05, momentum: 0.9, weightDecay: 1e-5, clipNorm: 10 },
    },
  };

  it('round-trips a message with Float32Arrays as Float32Arrays, bit for bit', () => {
    const back = decode<TrainRequest>(encode(message));
    const weights = back.plan.weights['audio.conv1/kernel'];
    expect(weights).toBeInstanceOf(Float32Array);
    expect(Array.from(weights)).toEqual(Array.from(message.plan.weights['audio.conv1/kernel']));
    expect(back).toEqual(message);
  });

  it('encodes canonically: key order does not change the bytes or the hash', () => {
    const a = { b: 1, a: { y: 2, x: 3 } };
    const b = { a: { x: 3, y: 2 }, b: 1 };
    expect(Buffer.from(encode(a)).equals(Buffer.from(encode(b)))).toBe(true);
    expect(hashValue(a)).toBe(hashValue(b));
    expect(hashValue({ v: Float32Array.from([1]) })).not.toBe(hashValue({ v: Float32Array.from([1.0000001]) }));
  });
});
