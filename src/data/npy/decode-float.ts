/**
 * Raw little/big-endian float32/float64 bytes → float32 values in a (shared) Float32Array, and the
 * finiteness scan every loader runs on what it copied. Shared by the NPY and FedMultimodal loaders.
 */

/** Float dtypes the loaders accept, as numpy type codes without byte order. */
export type FloatKind = 'f4' | 'f8';

/** Whether a numpy type code (without byte order) is a float dtype the loaders accept. */
export function isFloatKind(kind: string): kind is FloatKind {
  return kind === 'f4' || kind === 'f8';
}

/**
 * Writes `count` values decoded from `bytes` into `target` starting at element `targetOffset`.
 * float32 little-endian is a plain byte copy (any alignment); others go through a DataView.
 */
export function decodeFloatsInto(
  bytes: Uint8Array,
  kind: FloatKind,
  littleEndian: boolean,
  count: number,
  target: Float32Array,
  targetOffset: number,
): void {
  const size = kind === 'f4' ? 4 : 8;
  if (bytes.byteLength < count * size) {
    throw new RangeError(`need ${count * size} bytes, have ${bytes.byteLength}`);
  }
  if (kind === 'f4' && littleEndian) {
    new Uint8Array(target.buffer, target.byteOffset + targetOffset * 4, count * 4).set(bytes.subarray(0, count * 4));
    return;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, count * size);
  if (kind === 'f4') {
    for (let i = 0; i < count; i++) target[targetOffset + i] = view.getFloat32(i * 4, littleEndian);
  } else {
    for (let i = 0; i < count; i++) target[targetOffset + i] = view.getFloat64(i * 8, littleEndian);
  }
}

/**
 * Index (relative to `start`) of the first NaN or ±Infinity in `data[start, start + count)`, or -1.
 * A float64 value beyond float32's range becomes Infinity on conversion, so it is caught here too.
 */
export function firstNonFinite(data: Float32Array, start: number, count: number): number {
  const end = start + count;
  for (let i = start; i < end; i++) {
    const v = data[i];
    // v - v is 0 for every finite v, NaN for NaN and ±Infinity.
    if (v - v !== 0) return i - start;
  }
  return -1;
}
