/**
 * The engine's default initial weights follow PyTorch's defaults for FedMultimodal's models: each
 * weight uniform in ±bound with PyTorch's bound. Checked against the initial weights PyTorch itself
 * drew in the parity goldens (test/fixtures/parity): same keys, and per tensor the same range and
 * spread (uniform: sd = bound/√3) within sampling error.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/model/backend.js';
import { pytorchBound } from '../../src/model/initial-weights.js';
import { weightShapes } from '../../src/model/weight-map.js';
import { cachedModel } from '../../src/train/model-cache.js';
import { initWeights } from '../../src/train/init-weights.js';
import type { ModelKind } from '../../src/model/model-config.js';
import { engineWeights, loadGolden } from '../helpers/parity-golden.js';

function stats(values: Float32Array): { maxAbs: number; sd: number } {
  let maxAbs = 0;
  let squares = 0;
  for (const v of values) {
    maxAbs = Math.max(maxAbs, Math.abs(v));
    squares += v * v;
  }
  return { maxAbs, sd: Math.sqrt(squares / values.length) };
}

describe('default initialisation = PyTorch defaults', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it.each<ModelKind>(['audio', 'video', 'av'])('%s model: every tensor has PyTorch\'s bound and spread', (kind) => {
    const golden = loadGolden(kind);
    const torch = engineWeights(golden, golden.init);
    const ours = initWeights(golden.config, [kind], 'init-check');
    expect(Object.keys(ours).sort()).toEqual(Object.keys(torch).sort());
    const shapes = weightShapes(cachedModel(golden.config, kind));
    for (const key of Object.keys(torch)) {
      const bound = pytorchBound(shapes, key);
      const n = torch[key].length;
      const t = stats(torch[key]);
      const o = stats(ours[key]);
      // Both within the bound; with n draws the largest falls below bound·(1 − 8/n) with probability ≈ e⁻⁸.
      expect(t.maxAbs, `${key}: PyTorch's values within the bound`).toBeLessThanOrEqual(bound + 1e-7);
      expect(o.maxAbs, `${key}: ours within the bound`).toBeLessThanOrEqual(bound + 1e-7);
      if (n >= 32) {
        expect(t.maxAbs, `${key}: PyTorch's values reach the bound`).toBeGreaterThan(bound * (1 - 8 / n));
        expect(o.maxAbs, `${key}: ours reach the bound`).toBeGreaterThan(bound * (1 - 8 / n));
        // Spread: sd of a uniform ±b is b/√3; its relative sampling error is about 0.9/√n.
        expect(Math.abs(o.sd / t.sd - 1), key).toBeLessThan(5 * 0.9 / Math.sqrt(n));
      }
    }
  });

  it('uses 1/√fanIn for convs and linears and 1/√hidden for every GRU tensor', () => {
    const shapes = {
      'audio.conv1/kernel': [5, 8, 4], 'audio.conv1/bias': [4],
      'audio.gru/kernel': [16, 18], 'audio.gru/recurrent_kernel': [6, 18], 'audio.gru/bias': [2, 18],
      'audioHead.dense1/kernel': [6, 64], 'audioHead.dense1/bias': [64],
    };
    expect(pytorchBound(shapes, 'audio.conv1/kernel')).toBeCloseTo(1 / Math.sqrt(40), 12);
    expect(pytorchBound(shapes, 'audio.conv1/bias')).toBeCloseTo(1 / Math.sqrt(40), 12);
    for (const w of ['kernel', 'recurrent_kernel', 'bias']) expect(pytorchBound(shapes, `audio.gru/${w}`)).toBeCloseTo(1 / Math.sqrt(6), 12);
    expect(pytorchBound(shapes, 'audioHead.dense1/kernel')).toBeCloseTo(1 / Math.sqrt(6), 12);
    expect(pytorchBound(shapes, 'audioHead.dense1/bias')).toBeCloseTo(1 / Math.sqrt(6), 12);
  });
});
