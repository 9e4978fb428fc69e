import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../src/core/errors.js';
import {
  accuracy,
  confusionMatrix,
  confusionToRows,
  macroF1,
  perClassStats,
  scoreClassification,
  uar,
} from '../../src/metrics/index.js';

const i32 = (xs: number[]) => Int32Array.from(xs);

// Example A (4 classes, class 3 absent from labels and predictions):
//   truth 0: predicted 0,0,1   truth 1: predicted 1,2   truth 2: predicted 2,2,0
//   class 0: TP 2, support 3, predicted 3 -> P = R = F1 = 2/3
//   class 1: TP 1, support 2, predicted 2 -> P = R = F1 = 1/2
//   class 2: TP 2, support 3, predicted 3 -> P = R = F1 = 2/3
//   class 3: nothing -> 0 by convention
const labelsA = i32([0, 0, 0, 1, 1, 2, 2, 2]);
const predsA = i32([0, 0, 1, 1, 2, 2, 2, 0]);

// Example B (3 classes, class 2 only predicted, never true):
//   class 0: TP 1, support 2, predicted 1 -> P 1, R 1/2, F1 2/3
//   class 1: TP 2, support 2, predicted 2 -> 1, 1, 1
//   class 2: TP 0, support 0, predicted 1 -> 0, 0, 0
const labelsB = i32([0, 0, 1, 1]);
const predsB = i32([0, 2, 1, 1]);

describe('confusion matrix', () => {
  it('counts truth rows against prediction columns', () => {
    expect(confusionToRows(confusionMatrix(predsA, labelsA, 4))).toEqual([
      [2, 1, 0, 0],
      [0, 1, 1, 0],
      [1, 0, 2, 0],
      [0, 0, 0, 0],
    ]);
  });
});

describe('per-class stats', () => {
  it('matches hand-computed precision, recall, F1 with zero_division = 0', () => {
    const s = perClassStats(confusionMatrix(predsA, labelsA, 4));
    expect(s.support).toEqual([3, 2, 3, 0]);
    expect(s.predicted).toEqual([3, 2, 3, 0]);
    expect(s.precision).toEqual([2 / 3, 1 / 2, 2 / 3, 0]);
    expect(s.recall).toEqual([2 / 3, 1 / 2, 2 / 3, 0]);
    expect(s.f1).toEqual([2 / 3, 1 / 2, 2 / 3, 0]);
  });

  it('handles a predicted-only class and unequal precision and recall', () => {
    const s = perClassStats(confusionMatrix(predsB, labelsB, 3));
    expect(s.precision).toEqual([1, 1, 0]);
    expect(s.recall).toEqual([0.5, 1, 0]);
    expect(s.f1[0]).toBeCloseTo(2 / 3, 15);
    expect(s.f1.slice(1)).toEqual([1, 0]);
  });
});

describe('averages', () => {
  it('accuracy, macro-F1 and UAR on example A', () => {
    expect(accuracy(predsA, labelsA, 4)).toBe(5 / 8);
    expect(macroF1(predsA, labelsA, 4)).toBeCloseTo(11 / 18, 15);
    expect(macroF1(predsA, labelsA, 4, 'all')).toBeCloseTo(11 / 24, 15);
    expect(uar(predsA, labelsA, 4)).toBeCloseTo(11 / 18, 15);
    expect(uar(predsA, labelsA, 4, 'all')).toBeCloseTo(11 / 24, 15);
  });

  it('macro-F1 counts a predicted-only class, UAR does not unless asked', () => {
    expect(macroF1(predsB, labelsB, 3)).toBeCloseTo(5 / 9, 15);
    expect(uar(predsB, labelsB, 3)).toBe(0.75);
    expect(uar(predsB, labelsB, 3, 'present')).toBe(0.5);
  });

  it('perfect and all-wrong predictions', () => {
    const y = i32([0, 1, 2, 1]);
    expect(scoreClassification(y, y, 3)).toEqual({ accuracy: 1, macroF1: 1, uar: 1, perClassF1: [1, 1, 1] });
    const wrong = scoreClassification(i32([1, 2, 0, 0]), y, 3);
    expect(wrong).toEqual({ accuracy: 0, macroF1: 0, uar: 0, perClassF1: [0, 0, 0] });
  });

  it('scoreClassification agrees with the single metrics', () => {
    const s = scoreClassification(predsA, labelsA, 4);
    expect(s.accuracy).toBe(accuracy(predsA, labelsA, 4));
    expect(s.macroF1).toBe(macroF1(predsA, labelsA, 4));
    expect(s.uar).toBe(uar(predsA, labelsA, 4));
    expect(s.perClassF1).toEqual([2 / 3, 1 / 2, 2 / 3, 0]);
  });
});

describe('input checks', () => {
  it('rejects mismatched lengths, empty input, out-of-range classes', () => {
    expect(() => accuracy(i32([0]), i32([0, 1]), 2)).toThrow(/differ in length/);
    expect(() => accuracy(i32([]), i32([]), 2)).toThrow(InvariantError);
    expect(() => scoreClassification(i32([0, 5]), i32([0, 1]), 3)).toThrow(/predictions\[1\].*value=5/);
    expect(() => scoreClassification(i32([0, 1]), i32([-1, 1]), 3)).toThrow(/labels\[0\]/);
    expect(() => scoreClassification(i32([0]), i32([0]), 0)).toThrow(/numClasses/);
  });
});
