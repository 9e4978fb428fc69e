/**
 * Reading `.npy` files: the header alone (to size the store first), float arrays streamed in
 * chunks straight into a (shared) Float32Array so no second full copy is ever held, and small
 * integer arrays (labels, lengths, client ids). Little-endian float32/float64/int32/int64, C order.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { DataError, formatValue } from '../../core/errors.js';
import { decodeFloatsInto, isFloatKind } from './decode-float.js';
import { NPY_PREFIX_BYTES, npyHeaderLength, parseNpyHeader, type NpyHeader } from './npy-header.js';

const CHUNK_BYTES = 8 << 20;

/** Opens `file`, runs `body` with its descriptor, always closes it; a missing file is a DataError. */
function withFile<T>(file: string, body: (fd: number) => T): T {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DataError(file, null, 'file', code === 'ENOENT' ? 'missing (no such file)' : `cannot be opened (${code ?? String(err)})`);
  }
  try {
    return body(fd);
  } finally {
    closeSync(fd);
  }
}

function readExactly(fd: number, target: Uint8Array, position: number, file: string): void {
  let done = 0;
  while (done < target.length) {
    const n = readSync(fd, target, done, target.length - done, position + done);
    if (n === 0) throw new DataError(file, null, 'npy data', `truncated: ended after ${position + done} bytes`);
    done += n;
  }
}

/** Reads and checks the header of `file`: known dtype, C order, file long enough for its shape. */
export function readNpyHeader(file: string): NpyHeader {
  return withFile(file, (fd) => {
    const size = fstatSync(fd).size;
    const prefix = new Uint8Array(Math.min(NPY_PREFIX_BYTES, size));
    readExactly(fd, prefix, 0, file);
    const full = new Uint8Array(Math.min(npyHeaderLength(prefix, file), size));
    readExactly(fd, full, 0, file);
    const header = parseNpyHeader(full, file);
    if (!header.littleEndian && header.itemSize > 1) throw new DataError(file, null, 'npy header.descr', `${header.descr}: big-endian data is not supported`);
    if (!['f4', 'f8', 'i4', 'i8'].includes(header.kind)) {
      throw new DataError(file, null, 'npy header.descr', `${header.descr} is not supported (float32, float64, int32, int64)`);
    }
    if (header.fortranOrder && header.shape.filter((d) => d > 1).length > 1) {
      throw new DataError(file, null, 'npy header.fortran_order', `Fortran-ordered array of shape ${formatValue(header.shape)}; save it C-contiguous`);
    }
    const need = header.dataOffset + header.size * header.itemSize;
    if (size < need) throw new DataError(file, null, 'npy data', `truncated: ${size} bytes, shape ${formatValue(header.shape)} needs ${need}`);
    return header;
  });
}

/** Streams a float32/float64 array into `target` (as float32) without holding the whole file. */
export function readNpyFloatsInto(file: string, header: NpyHeader, target: Float32Array): void {
  if (target.length < header.size) throw new RangeError(`${file}: target holds ${target.length} values, file ${header.size}`);
  readNpyFloatRanges(file, header, [{ first: 0, count: header.size }], target);
}

/** A run of consecutive elements of an array: `count` values from element `first` on. */
export interface ElementRange {
  first: number;
  count: number;
}

/**
 * Streams the given element ranges of a float32/float64 array into `target` at the same element
 * offsets (as float32), through one open file; what lies outside the ranges is left untouched.
 */
export function readNpyFloatRanges(file: string, header: NpyHeader, ranges: readonly ElementRange[], target: Float32Array): void {
  if (!isFloatKind(header.kind)) throw new DataError(file, null, 'npy header.descr', `${header.descr}: expected float32 or float64 features`);
  withFile(file, (fd) => {
    const perChunk = Math.floor(CHUNK_BYTES / header.itemSize);
    const scratch = header.kind === 'f4' && header.littleEndian ? null : new Uint8Array(perChunk * header.itemSize);
    for (const { first, count } of ranges) {
      if (first < 0 || first + count > header.size || first + count > target.length) throw new RangeError(`${file}: elements [${first}, ${first + count}) outside the array`);
      if (scratch === null) {
        // Same bytes as the store: read them in place, chunk by chunk.
        const bytes = new Uint8Array(target.buffer, target.byteOffset + first * 4, count * 4);
        for (let at = 0; at < bytes.length; at += CHUNK_BYTES) {
          readExactly(fd, bytes.subarray(at, Math.min(bytes.length, at + CHUNK_BYTES)), header.dataOffset + first * 4 + at, file);
        }
        continue;
      }
      for (let done = 0; done < count; done += perChunk) {
        const n = Math.min(perChunk, count - done);
        const chunk = scratch.subarray(0, n * header.itemSize);
        readExactly(fd, chunk, header.dataOffset + (first + done) * header.itemSize, file);
        decodeFloatsInto(chunk, header.kind as 'f4' | 'f8', header.littleEndian, n, target, first + done);
      }
    }
  });
}

/** Size and modification time of `file` (to notice a file changed under a lazily loaded run). */
export function fileStamp(file: string): { size: number; mtimeMs: number } {
  return withFile(file, (fd) => {
    const { size, mtimeMs } = fstatSync(fd);
    return { size, mtimeMs };
  });
}

/** Reads an int32/int64 array as Int32Array; int64 values must fit in int32. */
export function readNpyInts(file: string, header: NpyHeader, field: string): Int32Array {
  if (header.kind !== 'i4' && header.kind !== 'i8') {
    throw new DataError(file, null, field, `dtype ${header.descr} is not an integer type (int32 or int64)`);
  }
  const raw = new Uint8Array(header.size * header.itemSize);
  withFile(file, (fd) => readExactly(fd, raw, header.dataOffset, file));
  const view = new DataView(raw.buffer);
  const out = new Int32Array(header.size);
  for (let i = 0; i < header.size; i++) {
    if (header.kind === 'i4') {
      out[i] = view.getInt32(i * 4, true);
      continue;
    }
    const value = view.getBigInt64(i * 8, true);
    if (value < -2147483648n || value > 2147483647n) throw new DataError(file, `#${i}`, field, `${value} does not fit in int32`);
    out[i] = Number(value);
  }
  return out;
}
