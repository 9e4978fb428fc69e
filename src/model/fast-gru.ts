/**
 * GRU layer (returns every step) whose forward and backward are one custom op each, built on the
 * JS recurrence in gru-recurrence.ts: two matMuls per step instead of ~60 tfjs kernel calls.
 *
 * Weights (same names as tfjs's GRU, so keys read `<layer>/kernel` etc.):
 *   kernel [in, 3u], recurrent_kernel [u, 3u], bias [2, 3u] (row 0 input bias, row 1 recurrent
 * bias, as Keras with reset_after=True); gate order z, r, n. The sequence starts from h = 0 and runs
 * over every step, padding included (padding comes after the real frames, so real steps never see it).
 */
import * as tf from '@tensorflow/tfjs';
import { createGruTape, gruBackward, gruForward, type GruDims } from './gru-recurrence.js';

/** Sums the rows of a [rows, cols] array into a new [cols] array. */
function columnSums(values: Float32Array, cols: number): Float32Array {
  const out = new Float64Array(cols);
  for (let i = 0; i < values.length; i += cols) for (let j = 0; j < cols; j++) out[j] += values[i + j];
  return new Float32Array(out);
}

/** h·M for a JS batch of rows, as a fresh JS array (M stays a tensor). */
function product(rows: Float32Array, shape: [number, number], m: tf.Tensor2D): Float32Array {
  return tf.tidy(() => tf.matMul(tf.tensor2d(rows, shape), m)).dataSync() as Float32Array;
}

/**
 * Forward pass of the GRU op and its gradient function: (x [B,T,in], W, U, bias) → states [B,T,u].
 * With `inputGradient` false the gradient for x is zeros instead of computed (x is model input data,
 * e.g. 1280-dim video features, where dx would cost a large matMul that nothing uses).
 */
function gruWithGradient(
  inputGradient: boolean,
  x: tf.Tensor3D,
  kernel: tf.Tensor2D,
  recurrent: tf.Tensor2D,
  bias: tf.Tensor2D,
): { value: tf.Tensor3D; gradFunc: (dy: tf.Tensor) => tf.Tensor[] } {
  const [B, T, inDim] = x.shape;
  const u = recurrent.shape[0];
  const dims: GruDims = { batch: B, steps: T, units: u };
  // Read everything the backward pass needs now: forward intermediates are disposed before it runs.
  const xFlat = x.dataSync() as Float32Array;
  const kernelValues = kernel.dataSync() as Float32Array;
  const recurrentValues = recurrent.dataSync() as Float32Array;
  const biasValues = bias.dataSync() as Float32Array;
  const xp = new Float32Array(tf.tidy(() => tf.matMul(tf.reshape(x, [B * T, inDim]), kernel)).dataSync() as Float32Array);
  for (let i = 0; i < xp.length; i += 3 * u) for (let j = 0; j < 3 * u; j++) xp[i + j] += biasValues[j];
  const tape = createGruTape(dims);
  const states = gruForward(xp, biasValues.subarray(3 * u), (h) => product(h, [B, u], recurrent), dims, tape);
  const gradFunc = (dy: tf.Tensor) =>
    tf.tidy(() => {
      const recurrentT = tf.transpose(tf.tensor2d(recurrentValues, [u, 3 * u])) as tf.Tensor2D;
      const { dxp, dhp } = gruBackward(dy.dataSync() as Float32Array, tape, (g) => product(g, [B, 3 * u], recurrentT), dims);
      const dxpT = tf.tensor2d(dxp, [B * T, 3 * u]);
      const dx = inputGradient
        ? tf.reshape(tf.matMul(dxpT, tf.transpose(tf.tensor2d(kernelValues, [inDim, 3 * u]))), [B, T, inDim])
        : tf.zeros([B, T, inDim]);
      const dKernel = tf.matMul(tf.transpose(tf.tensor2d(xFlat, [B * T, inDim])), dxpT);
      const dRecurrent = tf.matMul(tf.transpose(tf.tensor2d(tape.hPrev, [T * B, u])), tf.tensor2d(dhp, [T * B, 3 * u]));
      const dBias = tf.concat([columnSums(dxp, 3 * u), columnSums(dhp, 3 * u)].map((v) => tf.tensor2d(v, [1, 3 * u])), 0);
      return [dx, dKernel, dRecurrent, dBias];
    });
  return { value: tf.tensor3d(states, [B, T, u]), gradFunc };
}

/** The GRU as a tfjs op with a custom gradient. */
function makeGruOp(inputGradient: boolean): (...args: tf.Tensor[]) => tf.Tensor {
  const f = (x: tf.Tensor3D, kernel: tf.Tensor2D, recurrent: tf.Tensor2D, bias: tf.Tensor2D) =>
    gruWithGradient(inputGradient, x, kernel, recurrent, bias);
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]);
}

const gruOps = { withInputGradient: makeGruOp(true), withoutInputGradient: makeGruOp(false) };

/** Runs the GRU op directly: x [B,T,in] → states [B,T,u] (see makeGruOp for `inputGradient`). */
export function gru(x: tf.Tensor3D, kernel: tf.Tensor2D, recurrent: tf.Tensor2D, bias: tf.Tensor2D, inputGradient = true): tf.Tensor3D {
  const op = inputGradient ? gruOps.withInputGradient : gruOps.withoutInputGradient;
  return op(x, kernel, recurrent, bias) as tf.Tensor3D;
}

/** Layer wrapper of the GRU op; weights start at zero (values come from initialWeights). */
export class FastGru extends tf.layers.Layer {
  /** tfjs class name. */
  static readonly className = 'FastGru';
  private readonly units: number;
  private readonly inputGradient: boolean;
  private kernel: tf.LayerVariable | null = null;
  private recurrentKernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  /** `inputGradient: false` when the input is data that needs no gradient (saves a matMul per step). */
  constructor(args: { name: string; units: number; inputGradient?: boolean }) {
    super({ name: args.name });
    this.units = args.units;
    this.inputGradient = args.inputGradient ?? true;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const inDim = shape[shape.length - 1] as number;
    const u = this.units;
    const zeros = tf.initializers.zeros();
    this.kernel = this.addWeight('kernel', [inDim, 3 * u], 'float32', zeros);
    this.recurrentKernel = this.addWeight('recurrent_kernel', [u, 3 * u], 'float32', zeros);
    this.bias = this.addWeight('bias', [2, 3 * u], 'float32', zeros);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0], shape[1], this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
    return gru(
      x,
      this.kernel!.read() as tf.Tensor2D,
      this.recurrentKernel!.read() as tf.Tensor2D,
      this.bias!.read() as tf.Tensor2D,
      this.inputGradient,
    );
  }
}
