import { describe, expect, it } from 'vitest';
import { alterUpdate, labelShiftOf } from '../../src/protocol/misbehave.js';

const f32 = (...v: number[]) => Float32Array.from(v);
const g = { 'audio.w/kernel': f32(1, 1) };
const w = { 'audio.w/kernel': f32(2, 0) };
const ids = { seed: 3, clientId: '7', round: 2 };
const values = (m: Parameters<typeof alterUpdate>[2]) => Array.from(alterUpdate(w, g, m, ids)['audio.w/kernel']);

describe('misbehaviour alters an honest update', () => {
  it('sign-flip, scale, nan, free-ride by hand', () => {
    expect(values({ kind: 'sign-flip' })).toEqual([0, 2]); // 1 − (2 − 1), 1 − (0 − 1)
    expect(values({ kind: 'sign-flip', factor: 3 })).toEqual([-2, 4]);
    expect(values({ kind: 'scale', factor: 2 })).toEqual([3, -1]);
    expect(values({ kind: 'nan' }).every(Number.isNaN)).toBe(true);
    expect(values({ kind: 'free-ride' })).toEqual([1, 1]);
    expect(alterUpdate(w, g, { kind: 'label-flip' }, ids)).toBe(w);
    expect(labelShiftOf({ kind: 'label-flip' })).toBe(1);
    expect(labelShiftOf({ kind: 'noise' })).toBe(0);
    expect(labelShiftOf(null)).toBe(0);
  });

  it('noise comes from the event\'s own stream: same ids, same noise; other round, other noise', () => {
    const a = values({ kind: 'noise', sigma: 0.5 });
    expect(values({ kind: 'noise', sigma: 0.5 })).toEqual(a);
    expect(Array.from(alterUpdate(w, g, { kind: 'noise', sigma: 0.5 }, { ...ids, round: 3 })['audio.w/kernel'])).not.toEqual(a);
    expect(a).not.toEqual([2, 0]);
  });
});
