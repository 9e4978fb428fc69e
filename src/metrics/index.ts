/** Classification metrics computed from raw predictions (see each file for its conventions). */
export { accuracy } from './accuracy.js';
export { checkPredictions } from './check-inputs.js';
export { meanOver, selectClasses, type ClassSet } from './class-set.js';
export {
  classPredicted,
  classSupport,
  confusionMatrix,
  confusionToRows,
  truePositives,
  type ConfusionMatrix,
} from './confusion-matrix.js';
export { macroF1 } from './macro-f1.js';
export { perClassStats, type PerClassStats } from './per-class.js';
export { scoreClassification, type ClassificationScore } from './score-classification.js';
export { uar } from './uar.js';
