import { meanOver, selectClasses } from './class-set.js';
import { confusionMatrix } from './confusion-matrix.js';
import { perClassStats } from './per-class.js';

/** The scores a run reports for one evaluation; all in [0, 1]. */
export interface ClassificationScore {
  accuracy: number;
  /** Mean F1 over classes present in labels or predictions (sklearn's default). */
  macroF1: number;
  /** Mean recall over classes present in the labels. */
  uar: number;
  /** F1 of every class `0..numClasses-1`; 0 for a class with no support and no predictions. */
  perClassF1: number[];
}

/**
 * Scores one evaluation from raw predictions, building the confusion matrix once.
 * Conventions are those of {@link macroF1} and {@link uar}.
 */
export function scoreClassification(
  predictions: Int32Array,
  labels: Int32Array,
  numClasses: number,
): ClassificationScore {
  const cm = confusionMatrix(predictions, labels, numClasses);
  const stats = perClassStats(cm);
  let correct = 0;
  for (let c = 0; c < numClasses; c++) correct += cm.counts[c * numClasses + c];
  return {
    accuracy: correct / labels.length,
    macroF1: meanOver(stats.f1, selectClasses(stats, 'present')),
    uar: meanOver(stats.recall, selectClasses(stats, 'labels')),
    perClassF1: stats.f1,
  };
}
