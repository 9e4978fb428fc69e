import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/model/backend.js';
import { MaskedMeanPool } from '../../src/model/masked-mean-pool.js';
import { dropoutMask, SeededDropout } from '../../src/model/seeded-dropout.js';
import { batchAudioFrames, pooledAudioFrames, pooledAudioLength } from '../../src/model/sequence-masks.js';
import { TOY_CONFIG } from '../train/toy-data.js';

describe('custom layers', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('masked mean divides by the real length and pools an all-zero mask to 0', () => {
    const seq = tf.tensor3d([
      [[1, 10], [3, 30], [100, 100]],
      [[5, 5], [7, 7], [9, 9]],
    ]);
    const mask = tf.tensor2d([[1, 1, 0], [0, 0, 0]]);
    const out = new MaskedMeanPool({ name: 'm.pool' }).apply([seq, mask]) as tf.Tensor;
    expect(Array.from(out.dataSync())).toEqual([2, 20, 0, 0]);
  });

  it('batch-longest masked mean divides every row by the batch\'s largest count (torch.mean over pad_packed_sequence)', () => {
    const seq = tf.tensor3d([
      [[1, 10], [3, 30], [100, 100]],
      [[5, 5], [7, 7], [9, 9]],
    ]);
    const mask = tf.tensor2d([[1, 1, 0], [1, 0, 0]]);
    const out = new MaskedMeanPool({ name: 'm.pool2', divisor: 'batch-longest' }).apply([seq, mask]) as tf.Tensor;
    expect(Array.from(out.dataSync())).toEqual([2, 20, 2.5, 2.5]);
  });

  it('dropout masks are a pure function of the key, differ across keys, keep about 1 - rate', () => {
    const a = dropoutMask(8000, 0.25, 'seed/dropout/0/3/audio.drop1');
    expect(dropoutMask(8000, 0.25, 'seed/dropout/0/3/audio.drop1')).toEqual(a);
    expect(dropoutMask(8000, 0.25, 'seed/dropout/0/4/audio.drop1')).not.toEqual(a);
    const kept = a.filter((v) => v !== 0);
    expect(kept.length / a.length).toBeGreaterThan(0.72);
    expect(kept.length / a.length).toBeLessThan(0.78);
    expect(kept[0]).toBeCloseTo(1 / 0.75, 6);
  });

  it('seeded dropout passes inputs through unless training', () => {
    const control = { training: false, stepKey: 'k' };
    const layer = new SeededDropout({ name: 'x.drop', rate: 0.5, control });
    const x = tf.ones([4, 50]);
    expect(Array.from((layer.apply(x) as tf.Tensor).dataSync()).every((v) => v === 1)).toBe(true);
    control.training = true;
    const dropped = (layer.apply(x) as tf.Tensor).dataSync();
    expect(dropped.some((v) => v === 0)).toBe(true);
    expect(dropped.some((v) => v === 2)).toBe(true);
  });

  it('audio masks live at the pooled resolution: floor(length / 2^blocks), at least 1 (FedMultimodal); ceil per clip', () => {
    expect(pooledAudioFrames(TOY_CONFIG)).toBe(4); // 16 frames, two MaxPool 2
    expect(pooledAudioLength(0, TOY_CONFIG)).toBe(0);
    expect(pooledAudioLength(3, TOY_CONFIG)).toBe(1);
    expect(pooledAudioLength(5, TOY_CONFIG)).toBe(1);
    expect(pooledAudioLength(16, TOY_CONFIG)).toBe(4);
    const perClip = { ...TOY_CONFIG, pooling: 'per-clip' as const };
    expect(pooledAudioLength(5, perClip)).toBe(2);
    expect(pooledAudioLength(16, perClip)).toBe(4);
  });

  it('a batch of audio is cut to its longest clip (at least 2^blocks frames) under FedMultimodal\'s semantics', () => {
    expect(batchAudioFrames([9, 13, 11], TOY_CONFIG)).toBe(13);
    expect(batchAudioFrames([2, 3], TOY_CONFIG)).toBe(4);
    expect(batchAudioFrames([16, 40], TOY_CONFIG)).toBe(16);
    expect(batchAudioFrames([9, 13], { ...TOY_CONFIG, pooling: 'per-clip' })).toBe(16);
  });
});
