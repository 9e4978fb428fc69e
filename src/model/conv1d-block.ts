/**
 * One audio conv block as a single op with its own gradient: Conv1d ('same', stride 1) + bias + ReLU
 * → MaxPool 1-D (window 2, stride 2, 'valid'). Replaces tfjs-layers' conv1d + maxPooling1d, whose
 * backward pass on wasm ran through a naive Conv2DBackpropInput (≈ 10× slower than XNNPACK) and a
 * naive MaxPoolGrad, with a dozen reshape/identity calls around them.
 *
 * Forward: FusedConv2D (bias and ReLU fused) and MaxPool. Backward: one pass for ReLU + pool that
 * also sums the bias gradient (kernels/relu-max-pool-grad.ts), the filter gradient
 * (Conv2DBackpropFilter), and the input gradient as a forward convolution of dz with the flipped,
 * transposed filter. On wasm the three convolutions run through the SIMD product (kernels/conv1d-simd.ts,
 * kernels/conv1d-filter-grad-simd.ts; same bits as XNNPACK's, faster) when the channel counts allow,
 * and there a block given the GRU's step mask computes only the steps each clip needs
 * (conv-stack-rows.ts); elsewhere tf.conv2d and Conv2DBackpropFilter over every step. Weight names
 * and shapes are those of tfjs's Conv1D: `kernel` [k, in, out], `bias` [out].
 */
import * as tf from './tfjs.js';
import { flipConvFilterOp } from './kernels/flip-conv-filter.js';
import { reluMaxPoolGradOp } from './kernels/relu-max-pool-grad.js';
import { conv1dSimd, conv1dSimdAvailable } from './kernels/conv1d-simd.js';
import { conv1dFilterGradSimd, conv1dFilterGradSimdAvailable } from './kernels/conv1d-filter-grad-simd.js';
import { convBlockRows, countedSteps, type BlockRows } from './conv-stack-rows.js';

/** Left and right padding of a 'same' stride-1 convolution with `k` taps (TensorFlow's split). */
function samePadding(k: number): [number, number] {
  const left = Math.floor((k - 1) / 2);
  return [left, k - 1 - left];
}

/** Forward and gradient of the block for x [B,T,in], kernel [k,in,out], bias [out]. */
function blockWithGradient(
  inputGradient: boolean,
  rows: BlockRows | null,
  x: tf.Tensor3D,
  kernel: tf.Tensor3D,
  bias: tf.Tensor1D,
  save: (tensors: tf.Tensor[]) => void,
): { value: tf.Tensor3D; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[] } {
  const [B, T, inDim] = x.shape;
  const [k, , outDim] = kernel.shape;
  const [left, right] = samePadding(k);
  const x4 = tf.reshape(x, [B, 1, T, inDim]) as tf.Tensor4D;
  // tfjs fuses bias and ReLU into the convolution only when no gradient is recording (fused_util's
  // shouldFuse); under a gradient it adds the bias after the sum. The SIMD kernel follows the same
  // rule so that both paths give the same bits.
  const biasLast = tf.engine().state.gradientDepth > 0;
  const y = conv1dSimdAvailable(outDim)
    ? (tf.reshape(conv1dSimd(x, kernel, bias, { padBefore: left, padAfter: right, relu: true, biasLast, rows: rows?.conv ?? null }), [B, 1, T, outDim]) as tf.Tensor4D)
    : tf.fused.conv2d({ x: x4, filter: tf.reshape(kernel, [1, k, inDim, outDim]) as tf.Tensor4D, strides: 1, pad: 'same', bias, activation: 'relu' });
  const pooled = tf.maxPool(y, [1, 2], [1, 2], 'valid');
  save([x4, y]);
  const value = tf.reshape(pooled, [B, Math.floor(T / 2), outDim]) as tf.Tensor3D;
  const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
    const [xs, ys] = saved as [tf.Tensor4D, tf.Tensor4D];
    const [dz, dBias] = reluMaxPoolGradOp(tf.reshape(ys, [B, T, outDim]) as tf.Tensor3D, dy as tf.Tensor3D);
    const dz4 = tf.reshape(dz, [B, 1, T, outDim]) as tf.Tensor4D;
    const dFilter = conv1dFilterGradSimdAvailable(outDim)
      ? conv1dFilterGradSimd(tf.reshape(xs, [B, T, inDim]) as tf.Tensor3D, dz, { kernelSize: k, padBefore: left, padAfter: right, rows: rows?.conv ?? null })
      : (tf.engine().runKernel(tf.Conv2DBackpropFilter, { x: xs, dy: dz4 }, {
          strides: [1, 1], pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: [1, k, inDim, outDim],
        } as unknown as tf.NamedAttrMap) as tf.Tensor4D);
    let dx: tf.Tensor;
    if (inputGradient) {
      // Full correlation: dx[t] = Σ_j dz[t + left - j] · W[j]ᵀ, i.e. a conv with the taps reversed and in/out swapped.
      const flipped = flipConvFilterOp(kernel);
      if (conv1dSimdAvailable(inDim)) {
        const attrs = { padBefore: k - 1 - left, padAfter: k - 1 - right, relu: false, biasLast: false, rows: rows?.input ?? null };
        dx = conv1dSimd(dz, tf.reshape(flipped, [k, outDim, inDim]) as tf.Tensor3D, null, attrs);
      } else {
        const pad: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [0, 0], [k - 1 - left, k - 1 - right], [0, 0]];
        dx = tf.reshape(tf.conv2d(dz4, flipped, 1, pad), [B, T, inDim]);
      }
    } else {
      dx = tf.fill([B, T, inDim], 0);
    }
    return [dx, tf.reshape(dFilter, [k, inDim, outDim]), dBias];
  };
  return { value, gradFunc };
}

function makeBlockOp(inputGradient: boolean, rows: BlockRows | null): (...args: tf.Tensor[]) => tf.Tensor {
  const f = (x: tf.Tensor3D, kernel: tf.Tensor3D, bias: tf.Tensor1D, save: (t: tf.Tensor[]) => void) =>
    blockWithGradient(inputGradient, rows, x, kernel, bias, save);
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]);
}

const blockOps = { withInputGradient: makeBlockOp(true, null), withoutInputGradient: makeBlockOp(false, null) };

/**
 * Runs the block: x [B,T,in] → [B, floor(T/2), out]. With `inputGradient` false the gradient for x
 * is zeros (x is model input data; skips the input-gradient convolution). With `rows` (see
 * conv-stack-rows.ts) the SIMD path computes only the steps each sequence needs and writes zeros
 * after them; where the SIMD product is not available `rows` is ignored.
 */
export function conv1dReluPool(x: tf.Tensor3D, kernel: tf.Tensor3D, bias: tf.Tensor1D, inputGradient = true, rows: BlockRows | null = null): tf.Tensor3D {
  const op = rows === null ? (inputGradient ? blockOps.withInputGradient : blockOps.withoutInputGradient) : makeBlockOp(inputGradient, rows);
  return op(x, kernel, bias) as tf.Tensor3D;
}

/** Layer wrapper of {@link conv1dReluPool}; weights start at zero (values come from initialWeights). */
export class Conv1dBlock extends tf.layers.Layer {
  /** tfjs class name. */
  static readonly className = 'Conv1dBlock';
  private readonly filters: number;
  private readonly kernelSize: number;
  private readonly inputGradient: boolean;
  private kernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  /** This block's place among the encoder's blocks, or null (no mask input, no skipping). */
  private readonly stack: { index: number; count: number } | null;

  /**
   * `inputGradient: false` for the first block, whose input is data. With `stack` (this block's
   * place among the encoder's blocks) the layer takes a second input, the GRU's 0/1 step mask
   * [B, steps], and skips the steps no counted GRU step reads (conv-stack-rows.ts).
   */
  constructor(args: { name: string; filters: number; kernelSize: number; inputGradient?: boolean; stack?: { index: number; count: number } }) {
    super({ name: args.name });
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.inputGradient = args.inputGradient ?? true;
    this.stack = args.stack ?? null;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const inDim = shape[shape.length - 1] as number;
    const zeros = tf.initializers.zeros();
    this.kernel = this.addWeight('kernel', [this.kernelSize, inDim, this.filters], 'float32', zeros);
    this.bias = this.addWeight('bias', [this.filters], 'float32', zeros);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const steps = shape[1];
    return [shape[0], steps === null ? null : Math.floor(steps / 2), this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
    const mask = Array.isArray(inputs) && inputs.length > 1 ? (inputs[1] as tf.Tensor2D) : null;
    let rows: BlockRows | null = null;
    // Only the SIMD path skips steps (elsewhere the stock ops run whole); it needs the mask's values here.
    if (mask !== null && this.stack !== null && conv1dSimdAvailable(this.filters)) {
      const [B, steps] = mask.shape;
      rows = convBlockRows(countedSteps(mask.dataSync(), B, steps), x.shape[1], this.stack.index, this.stack.count, this.kernelSize);
    }
    return conv1dReluPool(x, this.kernel!.read() as tf.Tensor3D, this.bias!.read() as tf.Tensor1D, this.inputGradient, rows);
  }
}
