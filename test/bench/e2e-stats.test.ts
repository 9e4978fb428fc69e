import { describe, expect, it } from 'vitest';
import { cpuVectorUnits, median, summariseRatios } from '../../bench/e2e-stats.js';

describe('bench:e2e statistics', () => {
  it('median: middle value, mean of the middle two, NaN when empty', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('pairs ratios within a repeat, skips repeats missing a side, and counts those within the limit', () => {
    const r = summariseRatios([[10, 20], [12, 20], [null, 20], [9, undefined], [15, 20]], 0.55);
    expect(r).toEqual({ median: 0.6, min: 0.5, max: 0.75, n: 3, within: 1 });
    expect(summariseRatios([[1, 2]])).toMatchObject({ median: 0.5, n: 1, within: null });
    expect(summariseRatios([]).n).toBe(0);
  });

  it("reads the CPU's model and vector units from /proc/cpuinfo text", () => {
    const text = 'processor\t: 0\nmodel name\t: AMD EPYC 9B45\nflags\t\t: fpu sse2 avx fma avx2 avx512f\n\nprocessor\t: 1\n';
    expect(cpuVectorUnits(text)).toEqual({ model: 'AMD EPYC 9B45', avx2: true, fma: true, avx512f: true });
    expect(cpuVectorUnits('flags : sse2 avx\n')).toEqual({ model: null, avx2: false, fma: false, avx512f: false });
  });
});
