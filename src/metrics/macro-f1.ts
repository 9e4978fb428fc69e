import { meanOver, selectClasses, type ClassSet } from './class-set.js';
import { confusionMatrix } from './confusion-matrix.js';
import { perClassStats } from './per-class.js';

/**
 * Macro-F1: the unweighted mean of per-class F1. By default over the classes present in the labels
 * or the predictions (sklearn's `f1_score(average='macro')`, which FedMultimodal reports); pass
 * `'all'` to count every class, absent ones as F1 = 0.
 */
export function macroF1(
  predictions: Int32Array,
  labels: Int32Array,
  numClasses: number,
  over: ClassSet = 'present',
): number {
  const stats = perClassStats(confusionMatrix(predictions, labels, numClasses));
  return meanOver(stats.f1, selectClasses(stats, over));
}
