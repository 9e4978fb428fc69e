/**
 * A built functional model's forward pass, layer by layer: each layer's `call` in the model's
 * topological order, with the inputs tfjs-layers would give it. The kernels, their order and their
 * inputs are those of `model.apply(inputs)`, so every value is bit for bit the same; what is skipped
 * is tfjs-layers' per-call bookkeeping (the executor's feed dictionary and recipient counts, each
 * layer's `apply` wrapper with its name scope, input checks and the Identity copies it makes of
 * outputs equal to inputs), which costs as much as the kernels of a small model's forward pass.
 * Intermediate values are not disposed early: callers run inside a tidy (a training step, a scored
 * batch). A model whose graph is not a plain one-node-per-layer DAG falls back to `model.apply`.
 */
import * as tf from './tfjs.js';

/** One layer of the plan: the layer and where its inputs come from (plan positions; -1 - i = model input i). */
interface Step {
  layer: tf.Layer;
  from: number[];
}

const plans = new WeakMap<tf.LayersModel, Step[] | null>();

/** The layer plan of `model`, or null when its graph is not one this runner handles (shared layers, multiple outputs per layer). */
function planOf(model: tf.LayersModel): Step[] | null {
  if (plans.has(model)) return plans.get(model)!;
  const position = new Map<tf.Layer, number>();
  model.inputLayers.forEach((layer, i) => position.set(layer as tf.Layer, -1 - i));
  const steps: Step[] = [];
  let plan: Step[] | null = steps;
  for (const layer of model.layers as tf.Layer[]) {
    if (position.has(layer)) continue; // a model input
    const nodes = layer.inboundNodes;
    const node = nodes[0];
    const simple = nodes.length === 1 && node.nodeIndices.every((n) => n === 0) && node.tensorIndices.every((t) => t === 0)
      && node.inboundLayers.every((l) => position.has(l as tf.Layer));
    if (!simple) {
      plan = null;
      break;
    }
    position.set(layer, steps.length);
    steps.push({ layer, from: node.inboundLayers.map((l) => position.get(l as tf.Layer)!) });
  }
  if (plan !== null && (model.outputLayers.length !== 1 || position.get(model.outputLayers[0] as tf.Layer) !== steps.length - 1)) plan = null;
  plans.set(model, plan);
  return plan;
}

/** `model.apply(inputs)` for a single-output functional model, without the layers API's per-call overhead. */
export function forwardLayers(model: tf.LayersModel, inputs: tf.Tensor[]): tf.Tensor {
  const plan = planOf(model);
  if (plan === null) return model.apply(inputs) as tf.Tensor;
  const values: tf.Tensor[] = [];
  for (const { layer, from } of plan) {
    // The executor hands every layer a list, even of one input, and an empty kwargs object.
    const args = from.map((i) => (i < 0 ? inputs[-1 - i] : values[i]));
    values.push(layer.call(args, {}) as tf.Tensor);
  }
  return values[values.length - 1];
}
