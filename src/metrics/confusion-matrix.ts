import { checkPredictions } from './check-inputs.js';

/**
 * Confusion counts: `counts[t * numClasses + p]` is the number of samples of true class `t`
 * predicted as class `p` (rows = truth, columns = prediction, as in sklearn).
 */
export interface ConfusionMatrix {
  readonly numClasses: number;
  /** Row-major `numClasses × numClasses` counts. */
  readonly counts: Int32Array;
}

/** Counts (truth, prediction) pairs into a `numClasses × numClasses` matrix; validates the inputs. */
export function confusionMatrix(predictions: Int32Array, labels: Int32Array, numClasses: number): ConfusionMatrix {
  checkPredictions(predictions, labels, numClasses);
  const counts = new Int32Array(numClasses * numClasses);
  for (let i = 0; i < labels.length; i++) counts[labels[i] * numClasses + predictions[i]]++;
  return { numClasses, counts };
}

/** Samples whose true class is `c` (the row sum, called support). */
export function classSupport(cm: ConfusionMatrix, c: number): number {
  let sum = 0;
  for (let p = 0; p < cm.numClasses; p++) sum += cm.counts[c * cm.numClasses + p];
  return sum;
}

/** Samples predicted as class `c` (the column sum). */
export function classPredicted(cm: ConfusionMatrix, c: number): number {
  let sum = 0;
  for (let t = 0; t < cm.numClasses; t++) sum += cm.counts[t * cm.numClasses + c];
  return sum;
}

/** Correct predictions of class `c` (the diagonal cell). */
export function truePositives(cm: ConfusionMatrix, c: number): number {
  return cm.counts[c * cm.numClasses + c];
}

/** The matrix as nested arrays (rows = truth), for JSON output. */
export function confusionToRows(cm: ConfusionMatrix): number[][] {
  const rows: number[][] = [];
  for (let t = 0; t < cm.numClasses; t++) {
    rows.push(Array.from(cm.counts.subarray(t * cm.numClasses, (t + 1) * cm.numClasses)));
  }
  return rows;
}
