/**
 * Direct calls into the wasm backend's exported C functions on buffers that stay allocated, for loops
 * that run a small op many times (a GRU step): no kernel dispatch, no allocation and no JS-side
 * reshapes per call. Everything here is specific to @tensorflow/tfjs-backend-wasm 4.22's exports.
 */
import * as tf from '../tfjs.js';

/** The Emscripten module exports used here. */
interface WasmModule {
  HEAPF32: Float32Array;
  HEAP32: Int32Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  _BatchMatMul(aId: number, aShape: number, aRank: number, bId: number, bShape: number, bRank: number, transposeA: number, transposeB: number, outId: number): void;
  _Sigmoid(xId: number, outId: number): void;
}

/** The parts of BackendWasm used here. */
interface WasmBackend {
  wasm: WasmModule;
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  disposeData(dataId: object): boolean;
}

/** A float32 buffer in the wasm heap registered as a backend tensor (so C kernels can address it by id). */
export interface HeapBuffer {
  info: tf.TensorInfo;
  id: number;
  /** Element offset into HEAPF32 (stable: only the view object changes when the heap grows). */
  offset: number;
  size: number;
}

/** The active wasm backend, or null when the active backend is not wasm. */
export function wasmBackend(): WasmBackend | null {
  return tf.getBackend() === 'wasm' ? (tf.backend() as unknown as WasmBackend) : null;
}

/** A new heap buffer of `shape`; free it with {@link freeBuffer}. */
export function heapBuffer(backend: WasmBackend, shape: number[]): HeapBuffer {
  const info = backend.makeOutput(shape, 'float32');
  const entry = backend.dataIdMap.get(info.dataId)!;
  return { info, id: entry.id, offset: entry.memoryOffset / 4, size: shape.reduce((a, b) => a * b, 1) };
}

/** Frees a heap buffer. */
export function freeBuffer(backend: WasmBackend, buffer: HeapBuffer): void {
  backend.disposeData(buffer.info.dataId);
}

/** The backend id of a tensor that lives on the wasm backend. */
export function tensorId(backend: WasmBackend, tensor: tf.TensorInfo): number {
  const entry = backend.dataIdMap.get(tensor.dataId);
  if (entry === undefined) throw new Error('wasm-direct: tensor is not on the wasm backend');
  return entry.id;
}

/** Element offset into HEAPF32 of a float32 tensor on the wasm backend (stable while the tensor lives). */
export function tensorOffset(backend: WasmBackend, tensor: tf.TensorInfo): number {
  const entry = backend.dataIdMap.get(tensor.dataId);
  if (entry === undefined) throw new Error('wasm-direct: tensor is not on the wasm backend');
  if (tensor.dtype !== 'float32') throw new Error(`wasm-direct: tensor must be float32, got ${tensor.dtype}`);
  return entry.memoryOffset / 4;
}

/** An int32 shape written once into the heap, for the C functions' shape arguments. */
export function heapShape(backend: WasmBackend, shape: number[]): { pointer: number; rank: number; free(): void } {
  const pointer = backend.wasm._malloc(4 * shape.length);
  backend.wasm.HEAP32.set(shape, pointer / 4);
  return { pointer, rank: shape.length, free: () => backend.wasm._free(pointer) };
}
