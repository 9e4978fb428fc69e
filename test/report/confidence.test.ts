import { describe, expect, it } from 'vitest';
import { formatInterval, meanInterval, pairedDifference, t975 } from '../../src/report/confidence.js';

describe('confidence intervals over seeds', () => {
  it('paired difference against a hand-computed example', () => {
    // Seeds 1..3: a = 0.50, 0.60, 0.55; b = 0.45, 0.50, 0.52 → d = 0.05, 0.10, 0.03.
    const a = new Map([[1, 0.5], [2, 0.6], [3, 0.55]]);
    const b = new Map([[1, 0.45], [2, 0.5], [3, 0.52], [4, 0.9]]); // seed 4 has no pair: left out
    const d = pairedDifference(a, b);
    expect(d.keys).toEqual([1, 2, 3]);
    expect(d.mean).toBeCloseTo(0.06, 12);
    // sd = sqrt(((−0.01)² + 0.04² + (−0.03)²) / 2) = sqrt(0.0013) = 0.0360555…
    expect(d.sd).toBeCloseTo(Math.sqrt(0.0013), 12);
    // half width = 4.303 · 0.0360555 / √3 = 0.0895732…
    const half = (4.303 * Math.sqrt(0.0013)) / Math.sqrt(3);
    expect(d.ci95![0]).toBeCloseTo(0.06 - half, 12);
    expect(d.ci95![1]).toBeCloseTo(0.06 + half, 12);
    expect(half).toBeCloseTo(0.08957, 4);
    expect(formatInterval(d)).toBe('0.0600 [−0.0296, 0.1496]');
  });

  it('pairing removes the seed-to-seed spread an unpaired interval keeps', () => {
    const a = new Map([[1, 0.3], [2, 0.6], [3, 0.9]]);
    const b = new Map([[1, 0.29], [2, 0.59], [3, 0.89]]);
    const d = pairedDifference(a, b);
    expect(d.sd).toBeCloseTo(0, 12);
    expect(d.ci95![0]).toBeCloseTo(0.01, 12);
    expect(meanInterval([0.3, 0.6, 0.9]).ci95![1] - meanInterval([0.3, 0.6, 0.9]).ci95![0]).toBeGreaterThan(1);
  });

  it('one seed: no interval, said so; t quantiles', () => {
    const one = meanInterval([0.42]);
    expect(one).toEqual({ n: 1, mean: 0.42, sd: null, ci95: null });
    expect(formatInterval(one)).toBe('0.4200 (1 seed)');
    expect(t975(1)).toBe(12.706);
    expect(t975(4)).toBe(2.776);
    expect(t975(200)).toBe(1.96);
    expect(() => t975(0)).toThrow();
    expect(() => pairedDifference(new Map([[1, 1]]), new Map([[2, 1]]))).toThrow(/no key in common/);
  });
});

describe('timeline table', () => {
  it('lists every event with its placement, target and settings', async () => {
    const { timelineTable } = await import('../../src/report/timeline-table.js');
    const block = timelineTable([{ id: 'dropout', type: 'dropout', at: { progress: 0.5, offsetMs: 100 }, target: { rate: 0.3 }, reason: 'halfway' }]);
    expect(block).toMatchObject({ kind: 'table', rows: [[0, 'dropout', 'dropout', 'progress 0.5, offsetMs 100', 'rate 0.3', 'reason "halfway"']] });
    expect(timelineTable([])).toMatchObject({ kind: 'text' });
  });
});
