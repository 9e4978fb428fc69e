/**
 * Allocation of FeatureStore arrays in SharedArrayBuffers, so that one copy of the features serves
 * the main thread and every training worker (structured clone of a view over a SharedArrayBuffer
 * shares the memory instead of copying it).
 */
import type { FeatureStore, SequenceBlock } from './types.js';

/** A Float32Array over a new SharedArrayBuffer of `length` elements (zero-filled). */
export function sharedFloat32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(length * Float32Array.BYTES_PER_ELEMENT));
}

/** An Int32Array over a new SharedArrayBuffer of `length` elements (zero-filled). */
export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * Int32Array.BYTES_PER_ELEMENT));
}

/** A zero-filled shared sequence block for `numSamples` samples of [frames, dims]. */
export function allocateSequenceBlock(numSamples: number, frames: number, dims: number): SequenceBlock {
  return { frames, dims, data: sharedFloat32(numSamples * frames * dims), lengths: sharedInt32(numSamples) };
}

/** Shape of a store to allocate. */
export interface StoreShape {
  name: string;
  numSamples: number;
  numClasses: number;
  classNames?: string[];
  audio: { frames: number; dims: number };
  video: { frames: number; dims: number } | null;
}

/** A zero-filled FeatureStore whose arrays all live in SharedArrayBuffers; the caller fills it. */
export function allocateStore(shape: StoreShape): FeatureStore {
  return {
    name: shape.name,
    numSamples: shape.numSamples,
    numClasses: shape.numClasses,
    classNames: shape.classNames ?? Array.from({ length: shape.numClasses }, (_, c) => `class${c}`),
    labels: sharedInt32(shape.numSamples),
    audio: allocateSequenceBlock(shape.numSamples, shape.audio.frames, shape.audio.dims),
    video: shape.video ? allocateSequenceBlock(shape.numSamples, shape.video.frames, shape.video.dims) : null,
  };
}

/** Copies one sample's sequence (frames × dims, row-major, possibly shorter than block.frames) into the block. */
export function writeSequence(block: SequenceBlock, sample: number, values: Float32Array, frames: number): void {
  const used = Math.min(frames, block.frames);
  const offset = sample * block.frames * block.dims;
  block.data.set(values.subarray(0, used * block.dims), offset);
  block.lengths[sample] = used;
}
