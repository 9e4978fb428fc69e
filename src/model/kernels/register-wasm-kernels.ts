/**
 * Registers the training kernels that @tensorflow/tfjs-backend-wasm 4.22 lacks.
 *
 * A training step of the project's models (Conv1D + MaxPooling1D + GRU + Dense + Dropout, softmax
 * cross-entropy / KL losses, SGD with momentum) was probed kernel by kernel on wasm: the only one
 * missing is Conv2DBackpropFilter. Add further kernels here, each in its own file.
 */
import * as tf from '../tfjs.js';
import { conv2DBackpropFilterWasmConfig } from './conv2d-backprop-filter-wasm.js';

const EXTRA_KERNELS: readonly tf.KernelConfig[] = [conv2DBackpropFilterWasmConfig];

/**
 * Registers every extra wasm kernel that is not registered yet. The kernel registry is global to the
 * tfjs-core instance, so this is checked per kernel and is safe to call any number of times.
 */
export function registerWasmKernels(): void {
  for (const config of EXTRA_KERNELS) {
    if (tf.getKernel(config.kernelName, config.backendName) === undefined) tf.registerKernel(config);
  }
}
