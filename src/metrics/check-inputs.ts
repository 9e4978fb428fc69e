import { InvariantError } from '../core/errors.js';

/**
 * Validates a prediction/label pair before any metric is computed. A mismatch here is a bug in the
 * evaluator (or labels that escaped the data loader's checks), so it throws an {@link InvariantError}
 * naming the array, the index and the value instead of silently producing a wrong score.
 */
export function checkPredictions(predictions: Int32Array, labels: Int32Array, numClasses: number): void {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new InvariantError('metrics: numClasses must be a positive integer', { field: 'numClasses', value: numClasses });
  }
  if (predictions.length !== labels.length) {
    throw new InvariantError('metrics: predictions and labels differ in length', {
      field: 'predictions.length',
      value: predictions.length,
      labels: labels.length,
    });
  }
  if (labels.length === 0) {
    // An empty evaluation set has no accuracy; returning 0 or NaN would hide a wiring bug.
    throw new InvariantError('metrics: no samples to score', { field: 'labels.length', value: 0 });
  }
  checkRange('predictions', predictions, numClasses);
  checkRange('labels', labels, numClasses);
}

function checkRange(field: string, values: Int32Array, numClasses: number): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < 0 || v >= numClasses) {
      throw new InvariantError(`metrics: ${field}[${i}] is not a class index in [0, ${numClasses})`, {
        field: `${field}[${i}]`,
        value: v,
        numClasses,
      });
    }
  }
}
