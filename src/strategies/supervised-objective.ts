/**
 * Plain supervised training: softmax cross-entropy on the client's labels. The local objective of
 * every FedAvg-style method (UniFL, MultiFL, Harmony, modality-wise FL); a plan step names it as
 * `{ kind: 'supervised', model }` (see `supervisedStep`).
 */
import type { LocalStep, Objective } from '../protocol/local-step.js';
import type { ModelKind } from '../model/model-config.js';

/** The cross-entropy objective, registered as 'supervised'. */
export const supervised: Objective = {
  name: 'supervised',
  loss: ({ logits, labels, ops }) => ops.crossEntropy(logits, labels),
};

/** A plan step that trains `model` with cross-entropy (`trainModules` default: all of the model's). */
export function supervisedStep(model: ModelKind, options: { trainModules?: string[]; zeroVideoIfMissing?: boolean } = {}): LocalStep {
  return { kind: supervised.name, model, ...options };
}
