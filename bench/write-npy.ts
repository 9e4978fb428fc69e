/**
 * Writes numpy's `.npy` format (version 1.0, little-endian, C order) for the bench's data exports:
 * float32 and int32 arrays, which both the engine's NPY loader and `numpy.load` read.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

/** An array to write: float32 (`<f4`) or int32 (`<i4`), with its shape. */
export interface NpyArray {
  data: Float32Array | Int32Array;
  shape: number[];
}

/** The 10-byte prefix plus the header dict, padded with spaces to a multiple of 64 bytes, ending in '\n' (data follows it). */
export function npyHeader(descr: string, shape: number[]): Buffer {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
  const total = Math.ceil((10 + dict.length + 1) / 64) * 64;
  const text = dict.padEnd(total - 10 - 1, ' ') + '\n';
  const out = Buffer.alloc(10 + text.length);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(out, 0);
  out.writeUInt16LE(text.length, 8);
  out.write(text, 10, 'latin1');
  return out;
}

/** Writes `array` to `path` (this machine is little-endian, as the format's `<` says; checked). */
export function writeNpy(path: string, array: NpyArray): void {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('writeNpy: big-endian host');
  const size = array.shape.reduce((a, b) => a * b, 1);
  if (size !== array.data.length) throw new Error(`writeNpy ${path}: shape [${array.shape}] holds ${size} values, data has ${array.data.length}`);
  const descr = array.data instanceof Float32Array ? '<f4' : '<i4';
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, npyHeader(descr, array.shape));
    const bytes = new Uint8Array(array.data.buffer, array.data.byteOffset, array.data.byteLength);
    // Chunks: writeSync may write fewer bytes than asked on large buffers.
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, Math.min(bytes.length - at, 1 << 24));
  } finally {
    closeSync(fd);
  }
}
