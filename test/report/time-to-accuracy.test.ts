import { describe, expect, it } from 'vitest';
import { firstReachMs, formatTimeToTarget, timeCurves, timeToTargets } from '../../src/report/time-to-accuracy.js';

const curve = (points: Array<[number, number]>) => points.map(([atMs, accuracy], round) => ({ round, phase: 'p', atMs, accuracy }));

describe('time to accuracy in virtual time', () => {
  it('is the time of the first evaluation at or above the target', () => {
    const c = curve([[100, 0.2], [250, 0.5], [300, 0.45], [420, 0.7]]);
    expect(firstReachMs(c, 0.5)).toBe(250);
    expect(firstReachMs(c, 0.6)).toBe(420);
    expect(firstReachMs(c, 0.1)).toBe(100);
    expect(firstReachMs(c, 0.8)).toBeNull();
  });

  it('averages over the seeds that reached it and says how many did', () => {
    const runs = [
      { method: 'sync', missingRate: 0.5, seed: 2, curve: curve([[100, 0.3], [300, 0.6]]) },
      { method: 'sync', missingRate: 0.5, seed: 1, curve: curve([[200, 0.6]]) },
      { method: 'buff', missingRate: 0.5, seed: 1, curve: curve([[50, 0.4], [90, 0.55]]) },
      { method: 'buff', missingRate: 0.5, seed: 2, curve: curve([[60, 0.4]]) },
    ];
    const rows = timeToTargets(runs, [0.5]);
    expect(rows.map((r) => [r.method, r.meanMs, r.reached, r.runs])).toEqual([['sync', 250, 2, 2], ['buff', 90, 1, 2]]);
    expect(rows[0].bySeed).toEqual([{ seed: 1, atMs: 200 }, { seed: 2, atMs: 300 }]);
    expect(formatTimeToTarget(rows[0])).toBe('0.3 s');
    expect(formatTimeToTarget(rows[1])).toBe('0.1 s (1/2)');
    expect(formatTimeToTarget(timeToTargets(runs, [0.9])[0])).toBe('not reached (0/2)');
  });

  it('draws accuracy against mean virtual seconds per evaluation', () => {
    const runs = [
      { method: 'a', missingRate: 0.5, curve: curve([[1000, 0.2], [3000, 0.4]]) },
      { method: 'a', missingRate: 0.5, curve: curve([[2000, 0.4], [4000, 0.6]]) },
    ];
    expect(timeCurves(runs, 0.5)).toEqual([{ method: 'a', points: [{ x: 1.5, accuracy: 0.30000000000000004 }, { x: 3.5, accuracy: 0.5 }] }]);
  });
});
