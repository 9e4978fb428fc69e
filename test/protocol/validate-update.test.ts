import { describe, expect, it } from 'vitest';
import { firstNonFinite, trainedModules, validateUpdate } from '../../src/protocol/validate-update.js';
import type { TaskPlan } from '../../src/protocol/tasks.js';

const f32 = (...v: number[]) => Float32Array.from(v);
const plan: TaskPlan = {
  weights: { 'audio.w/kernel': f32(0, 0), 'audioHead.w/kernel': f32(0), 'fusion.w/kernel': f32(0, 0, 0) },
  steps: [{ kind: 'supervised', model: 'audio' }],
  hyper: { epochs: 1, batchSize: 2, lr: 0.1, momentum: 0, weightDecay: 0, clipNorm: 0 },
};
const good = { 'audio.w/kernel': f32(1, 2), 'audioHead.w/kernel': f32(3) };

describe('validateUpdate', () => {
  it('accepts exactly the trained weights with finite values and samples', () => {
    expect(validateUpdate(plan, { weights: good, numSamples: 4 })).toEqual([]);
    expect([...trainedModules(plan)].sort()).toEqual(['audio', 'audioHead']);
    expect([...trainedModules({ ...plan, steps: [{ kind: 'supervised', model: 'av', trainModules: ['fusion'] }] })]).toEqual(['fusion']);
  });

  it('names every reason: samples, a missing key, an extra key, a wrong shape, a non-finite value', () => {
    expect(validateUpdate(plan, { weights: good, numSamples: 0 })).toEqual([{ module: '*', reason: 'numSamples = 0, expected a count > 0' }]);
    expect(validateUpdate(plan, { weights: { 'audio.w/kernel': f32(1, 2) }, numSamples: 1 })).toEqual([{ module: 'audioHead', reason: 'weight audioHead.w/kernel is missing' }]);
    expect(validateUpdate(plan, { weights: { ...good, 'fusion.w/kernel': f32(1, 1, 1) }, numSamples: 1 })[0].reason).toMatch(/fusion\.w\/kernel was not asked for \(trained modules: audio, audioHead\)/);
    expect(validateUpdate(plan, { weights: { ...good, 'audio.w/kernel': f32(1) }, numSamples: 1 })).toEqual([{ module: 'audio', reason: 'weight audio.w/kernel has 1 values, expected 2' }]);
    expect(validateUpdate(plan, { weights: { ...good, 'audioHead.w/kernel': f32(Number.NaN) }, numSamples: 1 })).toEqual([{ module: 'audioHead', reason: 'weight audioHead.w/kernel holds a non-finite value (NaN at index 0)' }]);
    expect(validateUpdate(plan, { weights: { ...good, 'audio.w/kernel': f32(1, Number.POSITIVE_INFINITY) }, numSamples: 1 })[0].reason).toMatch(/Infinity at index 1/);
  });

  it('finds the first non-finite value of a global model', () => {
    expect(firstNonFinite(good)).toBeNull();
    expect(firstNonFinite({ ...good, 'audioHead.w/kernel': f32(Number.NaN) })).toEqual({ key: 'audioHead.w/kernel', module: 'audioHead', index: 0, value: Number.NaN });
  });
});
