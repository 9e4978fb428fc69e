import { meanOver, selectClasses, type ClassSet } from './class-set.js';
import { confusionMatrix } from './confusion-matrix.js';
import { perClassStats } from './per-class.js';

/**
 * Unweighted average recall (balanced accuracy): the mean of per-class recall over the classes
 * present in the labels. sklearn's `recall_score(average='macro')` also averages in classes that
 * were only predicted (recall 0 by `zero_division=0`); pass `'present'` to get that number.
 */
export function uar(
  predictions: Int32Array,
  labels: Int32Array,
  numClasses: number,
  over: ClassSet = 'labels',
): number {
  const stats = perClassStats(confusionMatrix(predictions, labels, numClasses));
  return meanOver(stats.recall, selectClasses(stats, over));
}
