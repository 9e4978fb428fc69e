/**
 * Direct access to a kernel's float32 inputs and outputs on the cpu and wasm backends, so that one
 * JS kernel body serves both: on wasm the arrays are views of the wasm heap (no copies), on cpu they
 * are the backend's own value arrays.
 */
import * as tf from '../tfjs.js';

/** The parts of the two backends' classes these helpers use (absent from tfjs-core's KernelBackend typing). */
type WasmLike = {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
};
type CpuLike = {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
};

/** Whether `backend` keeps tensors in a wasm heap. */
function isWasm(backend: unknown): backend is WasmLike {
  return typeof (backend as Partial<WasmLike>).typedArrayFromHeap === 'function';
}

/**
 * Allocates float32 outputs of `shapes` and returns them with views of their memory. On wasm every
 * view is taken after every allocation (an allocation may grow the heap and detach older views), so
 * read the inputs with {@link floatValues} only after this call.
 */
export function newOutputs(backend: unknown, shapes: number[][]): { infos: tf.TensorInfo[]; values: Float32Array[] } {
  if (isWasm(backend)) {
    const infos = shapes.map((shape) => backend.makeOutput(shape, 'float32'));
    return { infos, values: infos.map((info) => backend.typedArrayFromHeap(info)) };
  }
  const cpu = backend as CpuLike;
  const values = shapes.map((shape) => new Float32Array(shape.reduce((a, b) => a * b, 1)));
  return { infos: shapes.map((shape, i) => cpu.makeTensorInfo(shape, 'float32', values[i])), values };
}

/** The float32 values of a kernel input (a heap view on wasm: read it before allocating again). */
export function floatValues(backend: unknown, info: tf.TensorInfo, kernel: string, input: string): Float32Array {
  if (info.dtype !== 'float32') throw new Error(`${kernel}: input '${input}' must be float32, got ${info.dtype}`);
  if (isWasm(backend)) return backend.typedArrayFromHeap(info);
  const cpu = backend as CpuLike;
  const data = cpu.data.get(info.dataId);
  if (data === undefined || !(data.values instanceof Float32Array)) {
    throw new Error(`${kernel}: input '${input}' has no float32 values on this backend`);
  }
  return data.values;
}

/** Registers `kernelFunc` as `kernelName` on the cpu and wasm backends (once each). */
export function registerCpuAndWasm(kernelName: string, kernelFunc: tf.KernelFunc): void {
  for (const backendName of ['cpu', 'wasm']) {
    if (tf.getKernel(kernelName, backendName) === undefined) tf.registerKernel({ kernelName, backendName, kernelFunc });
  }
}
