/**
 * GRU layer (returns every step) whose forward and backward are one custom op each, built on the
 * JS recurrence in gru-recurrence.ts: one direct heap matMul per step and direction instead of ~60
 * tfjs kernel calls.
 *
 * Weights (same names as tfjs's GRU, so keys read `<layer>/kernel` etc.):
 *   kernel [in, 3u], recurrent_kernel [u, 3u], bias [2, 3u] (row 0 input bias, row 1 recurrent
 * bias, as Keras with reset_after=True); gate order z, r, n. The sequence starts from h = 0 and runs
 * over every step, padding included (padding comes after the real frames, so real steps never see it).
 */
import * as tf from './tfjs.js';
import { acquireGruTape, gruBackward, gruForward, releaseGruTape, type GruDims } from './gru-recurrence.js';
import { gruForwardWasm } from './gru-forward-wasm.js';
import { createStepMatMul } from './kernels/step-mat-mul.js';
import { tensorOffset, wasmBackend } from './kernels/wasm-direct.js';
import { matMulSimd, matMulSimdAvailable } from './kernels/mat-mul-simd.js';
import { localScratch, uploadScratch, uploadsCopy } from './scratch-arrays.js';

/**
 * Forward pass of the GRU op and its gradient function: (x [B,T,in], W, U, bias) → states [B,T,u].
 * Per step only h·U (forward) and g·Uᵀ (backward) run, through a direct heap matMul; the input
 * projection, dx, dW, dU and the bias sums are one large op each. With `inputGradient` false the
 * gradient for x is zeros instead of computed (x is model input data, e.g. 1280-dim video features,
 * where dx would cost a large matMul that nothing uses).
 */
function gruWithGradient(
  inputGradient: boolean,
  x: tf.Tensor3D,
  kernel: tf.Tensor2D,
  recurrent: tf.Tensor2D,
  bias: tf.Tensor2D,
  save: (tensors: tf.Tensor[]) => void,
): { value: tf.Tensor3D; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[] } {
  const [B, T, inDim] = x.shape;
  const u = recurrent.shape[0];
  const dims: GruDims = { batch: B, steps: T, units: u };
  const x2d = tf.reshape(x, [B * T, inDim]) as tf.Tensor2D;
  const [inBias, recBias] = tf.split(bias, 2, 0);
  // On wasm the SIMD product adds the bias after the sum: the same bits as matMul then add.
  const xpTensor = matMulSimdAvailable(3 * u) ? matMulSimd(x2d, kernel, false, inBias) : tf.add(tf.matMul(x2d, kernel), inBias);
  const recBiasValues = recBias.dataSync() as Float32Array;
  // The tape is reused once this pass's gradient is done (see acquireGruTape); the states array is
  // upload scratch (reused only where tf.tensor copies it).
  let tape: ReturnType<typeof acquireGruTape> | null = acquireGruTape(dims);
  let states: Float32Array;
  if (wasmBackend() !== null) {
    states = gruForwardWasm(xpTensor, recBiasValues, recurrent, dims, tape, uploadScratch('gru.states', B * T * u));
  } else {
    const step = createStepMatMul(recurrent, B);
    try {
      states = gruForward(xpTensor.dataSync() as Float32Array, recBiasValues, (h) => step.run(h), dims, tape);
    } finally {
      step.dispose();
    }
  }
  // Saved tensors are kept alive by the engine for the gradient (only while a tape is recording).
  save([x2d, kernel, recurrent]);
  // Outside any gradient (inference: evaluation, a frozen teacher) no gradient can ask for the tape.
  if (tf.engine().state.gradientDepth === 0) {
    releaseGruTape(tape);
    tape = null;
  }
  const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
    if (tape === null) throw new Error('FastGru: gradient requested twice, or for a forward pass run outside a gradient');
    const [xs, kernelSaved, recurrentSaved] = saved as tf.Tensor2D[];
    const recurrentT = tf.transpose(recurrentSaved) as tf.Tensor2D;
    const stepT = createStepMatMul(recurrentT, B);
    let grads: ReturnType<typeof gruBackward>;
    const size = B * T * 3 * u;
    try {
      grads = gruBackward(upstream(dy), tape, (g) => stepT.run(g), dims, {
        dxp: uploadScratch('gru.dxp', size),
        dhp: uploadScratch('gru.dhp', size),
      });
    } finally {
      stepT.dispose();
    }
    const dxp = tf.tensor2d(grads.dxp, [B * T, 3 * u]);
    const dhp = tf.tensor2d(grads.dhp, [T * B, 3 * u]);
    // Explicit transposes: wasm's BatchMatMul runs a transposed operand through a ~10× slower path;
    // the SIMD product reads a transposed A in place (same bits as the explicit transpose).
    const product = (a: tf.Tensor2D, b: tf.Tensor2D, transposeA: boolean): tf.Tensor2D =>
      matMulSimdAvailable(b.shape[1])
        ? matMulSimd(a, b, transposeA)
        : tf.matMul(transposeA ? (tf.transpose(a) as tf.Tensor2D) : a, b);
    const dx = inputGradient
      ? tf.reshape(product(dxp, tf.transpose(kernelSaved) as tf.Tensor2D, false), [B, T, inDim])
      : tf.fill([B, T, inDim], 0);
    const dKernel = product(xs, dxp, true);
    // A backend that keeps the uploaded array (cpu) gets a copy: the tape is reused below.
    const hPrev = tf.tensor2d(uploadsCopy() ? tape.hPrev : tape.hPrev.slice(), [T * B, u]);
    const dRecurrent = product(hPrev, dhp, true);
    const dBias = tf.tensor2d(grads.dBias, [2, 3 * u]);
    releaseGruTape(tape);
    tape = null;
    return [dx, dKernel, dRecurrent, dBias];
  };
  return { value: tf.tensor3d(states, [B, T, u]), gradFunc };
}

/**
 * The upstream gradient's values as a JS array: on wasm copied from the heap into scratch (it is
 * read while the backward loop's products may grow, and so move, the heap); elsewhere dataSync.
 */
function upstream(dy: tf.Tensor): Float32Array {
  const backend = wasmBackend();
  if (backend === null || dy.dtype !== 'float32') return dy.dataSync() as Float32Array;
  const offset = tensorOffset(backend, dy);
  const values = localScratch('gru.dy', dy.size);
  values.set(backend.wasm.HEAPF32.subarray(offset, offset + dy.size));
  return values;
}

/** The GRU as a tfjs op with a custom gradient. */
function makeGruOp(inputGradient: boolean): (...args: tf.Tensor[]) => tf.Tensor {
  const f = (x: tf.Tensor3D, kernel: tf.Tensor2D, recurrent: tf.Tensor2D, bias: tf.Tensor2D, save: (t: tf.Tensor[]) => void) =>
    gruWithGradient(inputGradient, x, kernel, recurrent, bias, save);
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
