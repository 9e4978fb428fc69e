/**
 * Per-thread scratch Float32Arrays for data that lives only until it is uploaded into a tensor, so
 * that a training step does not allocate (and the garbage collector does not later free) a fresh
 * array for every batch, dropout mask and GRU buffer.
 *
 * Reuse is safe only where `tf.tensor(values)` copies `values`: the wasm backend's write() copies
 * them into its heap (tfjs-backend-wasm 4.22, BackendWasm.move), while the cpu backend keeps the
 * array itself as the tensor's storage, and tfjs-node's copy is not verified here. So on any
 * backend but wasm every request returns a fresh zeroed array, exactly as before.
 *
 * Each slot is one use site; a slot's array is valid until the next request for the same slot.
 * Module-level state is per worker thread (each thread loads its own copy of this module).
 */
import * as tf from './tfjs.js';

const slots = new Map<string, Float32Array>();

/** Whether arrays handed to tf.tensor may be overwritten afterwards (the active backend copies on upload). */
export function uploadsCopy(): boolean {
  return tf.getBackend() === 'wasm';
}

/**
 * A Float32Array of `size` elements for slot `slot`, to be filled completely by the caller and then
 * uploaded with tf.tensor (or read only before the slot's next request). On wasm it is a view of the
 * slot's buffer (grown when too small; contents left over from the previous use, so the caller must
 * write every element); elsewhere a fresh zeroed array.
 */
export function uploadScratch(slot: string, size: number): Float32Array {
  if (!uploadsCopy()) return new Float32Array(size);
  let buffer = slots.get(slot);
  if (buffer === undefined || buffer.length < size) {
    buffer = new Float32Array(size);
    slots.set(slot, buffer);
  }
  return buffer.length === size ? buffer : buffer.subarray(0, size);
}

/**
 * A Float32Array of `size` elements for slot `slot` that is never handed to tfjs (JS-side working
 * memory of one call), reused on every backend. Contents are left over from the previous use.
 */
export function localScratch(slot: string, size: number): Float32Array {
  let buffer = slots.get(slot);
  if (buffer === undefined || buffer.length < size) {
    buffer = new Float32Array(size);
    slots.set(slot, buffer);
  }
  return buffer.length === size ? buffer : buffer.subarray(0, size);
}
