import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { confusionMatrix, scoreClassification } from '../../src/metrics/index.js';

// Random evaluations: up to 6 classes, 1..60 samples, labels and predictions in range.
const evaluation = fc
  .integer({ min: 1, max: 6 })
  .chain((c) =>
    fc
      .array(fc.tuple(fc.integer({ min: 0, max: c - 1 }), fc.integer({ min: 0, max: c - 1 })), { minLength: 1, maxLength: 60 })
      .map((pairs) => ({ c, labels: Int32Array.from(pairs.map((p) => p[0])), preds: Int32Array.from(pairs.map((p) => p[1])) })),
  );

describe('metric properties', () => {
  it('scores lie in [0, 1], the matrix sums to n, and UAR is the mean per-class hit rate', () => {
    fc.assert(
      fc.property(evaluation, ({ c, labels, preds }) => {
        const s = scoreClassification(preds, labels, c);
        const cm = confusionMatrix(preds, labels, c);
        expect(cm.counts.reduce((a, b) => a + b, 0)).toBe(labels.length);
        for (const v of [s.accuracy, s.macroF1, s.uar, ...s.perClassF1]) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1);
        }
        // Direct definition of UAR, independent of the confusion matrix code.
        const rates: number[] = [];
        for (let k = 0; k < c; k++) {
          const idx = [...labels.keys()].filter((i) => labels[i] === k);
          if (idx.length > 0) rates.push(idx.filter((i) => preds[i] === k).length / idx.length);
        }
        expect(s.uar).toBeCloseTo(rates.reduce((a, b) => a + b, 0) / rates.length, 12);
      }),
      { seed: 20240826, numRuns: 200 },
    );
  });

  it('predicting the labels scores 1 everywhere except absent classes', () => {
    fc.assert(
      fc.property(evaluation, ({ c, labels }) => {
        const s = scoreClassification(labels, labels, c);
        expect([s.accuracy, s.macroF1, s.uar]).toEqual([1, 1, 1]);
        for (let k = 0; k < c; k++) expect(s.perClassF1[k]).toBe(labels.includes(k) ? 1 : 0);
      }),
      { seed: 7, numRuns: 100 },
    );
  });
});
