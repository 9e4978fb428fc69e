/**
 * One audio conv block as a single op with its own gradient: Conv1d ('same', stride 1) + bias + ReLU
 * → MaxPool 1-D (window 2, stride 2, 'valid'). Replaces tfjs-layers' conv1d + maxPooling1d, whose
 * backward pass on wasm ran through a naive Conv2DBackpropInput (≈ 10× slower than XNNPACK) and a
 * naive MaxPoolGrad, with a dozen reshape/identity calls around them.
 *
 * Forward: FusedConv2D (bias and ReLU fused) and MaxPool. Backward: one pass for ReLU + pool that
 * also sums the bias gradient (kernels/relu-max-pool-grad.ts), the filter gradient
 * (Conv2DBackpropFilter; on wasm our own kernel), and the input gradient as a forward convolution of
 * dz with the flipped, transposed filter. On wasm both convolutions run through the SIMD product of
 * kernels/conv1d-simd.ts (same bits as XNNPACK's, faster) when the channel counts allow; elsewhere
 * through tf.conv2d. Weight names and shapes are those of tfjs's Conv1D: `kernel` [k, in, out],
 * `bias` [out].
 */
import * as tf from './tfjs.js';
import { flipConvFilterOp } from './kernels/flip-conv-filter.js';
import { reluMaxPoolGradOp } from './kernels/relu-max-pool-grad.js';
import { conv1dSimd, conv1dSimdAvailable } from './kernels/conv1d-simd.js';

/** Left and right padding of a 'same' stride-1 convolution with `k` taps (TensorFlow's split). */
function samePadding(k: number): [number, number] {
  const left = Math.floor((k - 1) / 2);
  return [left, k - 1 - left];
}

/** Forward and gradient of the block for x [B,T,in], kernel [k,in,out], bias [out]. */
function blockWithGradient(
  inputGradient: boolean,
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
    ? (tf.reshape(conv1dSimd(x, kernel, bias, { padBefore: left, padAfter: right, relu: true, biasLast }), [B, 1, T, outDim]) as tf.Tensor4D)
    : tf.fused.conv2d({ x: x4, filter: tf.reshape(kernel, [1, k, inDim, outDim]) as tf.Tensor4D, strides: 1, pad: 'same', bias, activation: 'relu' });
  const pooled = tf.maxPool(y, [1, 2], [1, 2], 'valid');
  save([x4, y]);
  const value = tf.reshape(pooled, [B, Math.floor(T / 2), outDim]) as tf.Tensor3D;
  const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
    const [xs, ys] = saved as [tf.Tensor4D, tf.Tensor4D];
    const [dz, dBias] = reluMaxPoolGradOp(tf.reshape(ys, [B, T, outDim]) as tf.Tensor3D, dy as tf.Tensor3D);
    const dz4 = tf.reshape(dz, [B, 1, T, outDim]) as tf.Tensor4D;
    const dFilter = tf.engine().runKernel(tf.Conv2DBackpropFilter, { x: xs, dy: dz4 }, {
      strides: [1, 1], pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: [1, k, inDim, outDim],
    } as unknown as tf.NamedAttrMap) as tf.Tensor4D;
    let dx: tf.Tensor;
    if (inputGradient) {
      // Full correlation: dx[t] = Σ_j dz[t + left - j] · W[j]ᵀ, i.e. a conv with the taps reversed and in/out swapped.
      const flipped = flipConvFilterOp(kernel);
      if (conv1dSimdAvailable(inDim)) {
        const attrs = { padBefore: k - 1 - left, padAfter: k - 1 - right, relu: false, biasLast: false };
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

function makeBlockOp(inputGradient: boolean): (...args: tf.Tensor[]) => tf.Tensor {
  const f = (x: tf.Tensor3D, kernel: tf.Tensor3D, bias: tf.Tensor1D, save: (t: tf.Tensor[]) => void) =>
    blockWithGradient(inputGradient, x, kernel, bias, save);
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]);
}

const blockOps = { withInputGradient: makeBlockOp(true), withoutInputGradient: makeBlockOp(false) };

/**
 * Runs the block: x [B,T,in] → [B, floor(T/2), out]. With `inputGradient` false the gradient for x
 * is zeros (x is model input data; skips the input-gradient convolution).
 */
export function conv1dReluPool(x: tf.Tensor3D, kernel: tf.Tensor3D, bias: tf.Tensor1D, inputGradient = true): tf.Tensor3D {
  const op = inputGradient ? blockOps.withInputGradient : blockOps.withoutInputGradient;
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

  /** `inputGradient: false` for the first block, whose input is data. */
  constructor(args: { name: string; filters: number; kernelSize: number; inputGradient?: boolean }) {
    super({ name: args.name });
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.inputGradient = args.inputGradient ?? true;
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
    return conv1dReluPool(x, this.kernel!.read() as tf.Tensor3D, this.bias!.read() as tf.Tensor1D, this.inputGradient);
  }
}
