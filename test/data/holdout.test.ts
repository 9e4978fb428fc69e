import { describe, expect, it } from 'vitest';
import { splitTrainDevTest, stratifiedHoldout } from '../../src/data/holdout.js';
import { ConfigError } from '../../src/core/errors.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('stratifiedHoldout', () => {
  it('holds out round(fraction × n) of every class, disjoint and covering', () => {
    // Class sizes 10, 7 and 3 (labels 0, 1, 2).
    const labels = Int32Array.from([...Array(10).fill(0), ...Array(7).fill(1), ...Array(3).fill(2)]);
    const { kept, heldOut } = stratifiedHoldout(labels, range(20), 0.2, 'k');
    const count = (list: number[], c: number) => list.filter((i) => labels[i] === c).length;
    // round(2) = 2, round(1.4) = 1, round(0.6) = 1.
    expect([0, 1, 2].map((c) => count(heldOut, c))).toEqual([2, 1, 1]);
    expect([...kept, ...heldOut].sort((a, b) => a - b)).toEqual(range(20));
    expect(kept).toEqual([...kept].sort((a, b) => a - b));
    expect(heldOut).toEqual([...heldOut].sort((a, b) => a - b));
  });

  it('depends on the key, not on call order', () => {
    const labels = Int32Array.from(range(100), (i) => i % 4);
    const a = stratifiedHoldout(labels, range(100), 0.3, 'a');
    stratifiedHoldout(labels, range(100), 0.3, 'b');
    expect(stratifiedHoldout(labels, range(100), 0.3, 'a')).toEqual(a);
    expect(stratifiedHoldout(labels, range(100), 0.3, 'b').heldOut).not.toEqual(a.heldOut);
  });

  it('a class split does not depend on the other classes', () => {
    const labels = Int32Array.from(range(60), (i) => i % 3);
    const full = stratifiedHoldout(labels, range(60), 0.25, 'k');
    const noClass2 = stratifiedHoldout(labels, range(60).filter((i) => labels[i] !== 2), 0.25, 'k');
    expect(noClass2.heldOut).toEqual(full.heldOut.filter((i) => labels[i] !== 2));
  });

  it('rejects a fraction outside [0, 1)', () => {
    expect(() => stratifiedHoldout(new Int32Array(4), range(4), 1, 'k')).toThrow(ConfigError);
    expect(() => stratifiedHoldout(new Int32Array(4), range(4), -0.1, 'k')).toThrow(/fraction = -0\.1/);
  });
});

describe('splitTrainDevTest', () => {
  it('takes test first, then dev from what remains (FedMultimodal: 20% of training as dev)', () => {
    const labels = Int32Array.from(range(500), (i) => i % 5);
    const { train, dev, test } = splitTrainDevTest(labels, range(500), { testFraction: 0.2, devFraction: 0.2 }, 3);
    expect(test).toHaveLength(100); // 20 per class
    expect(dev).toHaveLength(80); // 20% of 80 per class = 16
    expect(train).toHaveLength(320);
    expect([...train, ...dev, ...test].sort((a, b) => a - b)).toEqual(range(500));
    for (let c = 0; c < 5; c++) expect(dev.filter((i) => labels[i] === c)).toHaveLength(16);
  });
});
