import { classPredicted, classSupport, truePositives, type ConfusionMatrix } from './confusion-matrix.js';

/**
 * Per-class precision, recall and F1, each indexed by class.
 *
 * Convention for empty denominators (sklearn's `zero_division=0`): precision is 0 for a class that
 * was never predicted, recall is 0 for a class with no support, and F1 is 0 whenever precision +
 * recall is 0 — in particular for a class with no support and no predictions. Whether such a
 * class enters an average is decided by {@link ClassSet} in `class-set.ts`, not here.
 */
export interface PerClassStats {
  precision: number[];
  recall: number[];
  f1: number[];
  /** True samples of each class. */
  support: number[];
  /** Predictions of each class. */
  predicted: number[];
}

/** Computes {@link PerClassStats} from a confusion matrix. */
export function perClassStats(cm: ConfusionMatrix): PerClassStats {
  const out: PerClassStats = { precision: [], recall: [], f1: [], support: [], predicted: [] };
  for (let c = 0; c < cm.numClasses; c++) {
    const tp = truePositives(cm, c);
    const support = classSupport(cm, c);
    const predicted = classPredicted(cm, c);
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    // 2TP / (support + predicted) equals 2PR/(P+R) and avoids a rounding step.
    const f1 = support + predicted > 0 ? (2 * tp) / (support + predicted) : 0;
    out.precision.push(precision);
    out.recall.push(recall);
    out.f1.push(f1);
    out.support.push(support);
    out.predicted.push(predicted);
  }
  return out;
}
