import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dirichletPartition, type ClientPartition } from '../../src/data/dirichlet-partition.js';
import { labelSkew } from '../../src/data/label-skew.js';
import { ConfigError } from '../../src/core/errors.js';

/** `perClass` samples of each of `classes` classes, interleaved: label of index i is i % classes. */
function interleaved(classes: number, perClass: number): Int32Array {
  return Int32Array.from({ length: classes * perClass }, (_, i) => i % classes);
}
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('dirichletPartition', () => {
  it('assigns every index exactly once, meets the minimum and sorts ids as strings', () => {
    const labels = interleaved(10, 100);
    const parts = dirichletPartition(labels, range(1000), 12, 0.3, 'k', 10);
    expect(parts.map((p) => p.id)).toEqual(['0', '1', '10', '11', '2', '3', '4', '5', '6', '7', '8', '9']);
    const all = parts.flatMap((p) => p.indices).sort((a, b) => a - b);
    expect(all).toEqual(range(1000));
    for (const p of parts) {
      expect(p.indices.length).toBeGreaterThanOrEqual(10);
      expect(p.indices).toEqual([...p.indices].sort((a, b) => a - b));
    }
  });

  it('partitions only the given indices', () => {
    const labels = interleaved(3, 40);
    const subset = range(120).filter((i) => i % 4 !== 0);
    const parts = dirichletPartition(labels, subset, 3, 1, 'k', 1);
    expect(parts.flatMap((p) => p.indices).sort((a, b) => a - b)).toEqual(subset);
  });

  it('gives one client everything', () => {
    const parts = dirichletPartition(interleaved(4, 5), range(20), 1, 0.1, 'k', 20);
    expect(parts).toEqual([{ id: '0', indices: range(20) }]);
  });

  it('is a function of the key', () => {
    const labels = interleaved(5, 40);
    const a = dirichletPartition(labels, range(200), 8, 0.5, 'seed/partition', 5);
    expect(dirichletPartition(labels, range(200), 8, 0.5, 'seed/partition', 5)).toEqual(a);
    expect(dirichletPartition(labels, range(200), 8, 0.5, 'other/partition', 5)).not.toEqual(a);
  });

  it('small alpha skews labels far more than large alpha', () => {
    const labels = interleaved(10, 200);
    const skew = (alpha: number) =>
      [1, 2, 3].map((s) => labelSkew(labels, dirichletPartition(labels, range(2000), 20, alpha, `s${s}`, 10), 10)).reduce((a, b) => a + b) / 3;
    const low = skew(0.1);
    const high = skew(100);
    // Measured: ~0.73 at alpha 0.1, ~0.5 at 0.5, ~0.04 at 100 (total variation from the global label mix).
    expect(low).toBeGreaterThan(0.5);
    expect(high).toBeLessThan(0.15);
  });

  it('applies the balance step: a client at its fair share gets nothing from later classes', () => {
    const classes = 8;
    const labels = interleaved(classes, 60);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom(0.1, 0.5, 2), (seed, alpha) => {
        const parts = dirichletPartition(labels, range(480), 6, alpha, `b${seed}`, 0, { maxTries: 1 });
        const fairShare = 480 / 6;
        for (const p of parts) {
          let held = 0;
          for (let c = 0; c < classes; c++) {
            const inClass = p.indices.filter((i) => labels[i] === c).length;
            if (held >= fairShare) expect(inClass).toBe(0);
            held += inClass;
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('does not produce NaN proportions for a tiny alpha', () => {
    const parts = dirichletPartition(interleaved(4, 50), range(200), 5, 0.005, 'tiny', 0);
    expect(parts.flatMap((p) => p.indices)).toHaveLength(200);
  });

  it('throws a ConfigError naming what to change when the minimum cannot be met', () => {
    const run = () => dirichletPartition(interleaved(2, 50), range(100), 10, 0.01, 'k', 9, { maxTries: 20 });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(/minSamples = 9 .*raise alpha, lower numClients or minSamples/);
    expect(() => dirichletPartition(interleaved(2, 5), range(10), 3, 1, 'k', 4)).toThrow(/3 clients × 4 exceeds the 10 samples/);
    expect(() => dirichletPartition(interleaved(2, 5), range(10), 0, 1, 'k', 1)).toThrow(/numClients = 0/);
    expect(() => dirichletPartition(interleaved(2, 5), range(10), 2, -1, 'k', 1)).toThrow(/alpha = -1/);
  });

  it('meets the FedMultimodal setup (100 clients, alpha 0.1, min 10) on a UCF101-sized label set', () => {
    const labels = interleaved(51, 88);
    const parts: ClientPartition[] = dirichletPartition(labels, range(51 * 88), 100, 0.1, 'ucf', 10);
    expect(Math.min(...parts.map((p) => p.indices.length))).toBeGreaterThanOrEqual(10);
  });
});
