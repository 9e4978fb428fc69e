import { checkPredictions } from './check-inputs.js';

/** Fraction of samples whose prediction equals the label, in [0, 1]. */
export function accuracy(predictions: Int32Array, labels: Int32Array, numClasses: number): number {
  checkPredictions(predictions, labels, numClasses);
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predictions[i] === labels[i]) correct++;
  return correct / labels.length;
}
