/**
 * Validates one unpickled FedMultimodal feature file: a list of `[key, path, label, array | None]`.
 * As FedMultimodal's own data loader does, the label is the second-to-last field and the features
 * the last one; a `(1, frames, dims)` array is read as its single `(frames, dims)` slice.
 */
import { DataError, formatValue } from '../../core/errors.js';
import { isFloatKind } from '../npy/decode-float.js';
import { NumpyArray } from './numpy-array.js';

/** One item of a feature file, with its features' 2-D shape resolved. */
export interface FeatureItem {
  key: string;
  label: number;
  /** Null when the file holds `None` (modality missing for this item). */
  array: NumpyArray | null;
  /** Frames in the file (0 when `array` is null). */
  frames: number;
  /** Feature size per frame (0 when `array` is null). */
  dims: number;
}

/** Checks `parsed` (the content of `file`, features of `modality`) and returns its items. */
export function readFeatureItems(parsed: unknown, file: string, modality: string): FeatureItem[] {
  if (!Array.isArray(parsed)) {
    throw new DataError(file, null, 'top level', `expected a list of [key, path, label, features], got ${describe(parsed)}`);
  }
  return parsed.map((entry, position) => readItem(entry, position, file, modality));
}

function readItem(entry: unknown, position: number, file: string, modality: string): FeatureItem {
  const where = `#${position}`;
  if (!Array.isArray(entry) || entry.length < 3) {
    throw new DataError(file, where, 'item', `expected [key, path, label, features], got ${describe(entry)}`);
  }
  const key = entry[0];
  if (typeof key !== 'string') throw new DataError(file, where, 'key', `expected a string, got ${describe(key)}`);
  const label = entry[entry.length - 2];
  if (typeof label !== 'number' || !Number.isInteger(label)) {
    throw new DataError(file, key, 'label', `expected an integer, got ${describe(label)}`);
  }
  const value = entry[entry.length - 1];
  const field = `${modality} features`;
  if (value === null) return { key, label, array: null, frames: 0, dims: 0 };
  if (!(value instanceof NumpyArray)) {
    throw new DataError(file, key, field, `expected a numpy array or None, got ${describe(value)}`);
  }
  if (!isFloatKind(value.dtype.kind)) {
    throw new DataError(file, key, field, `dtype ${value.dtype.code} is not supported (float32 or float64 only)`);
  }
  let shape = value.shape;
  if (shape.length === 3 && shape[0] === 1) shape = shape.slice(1);
  if (shape.length !== 2) {
    throw new DataError(file, key, field, `shape ${formatValue(value.shape)} is not (frames, dims) or (1, frames, dims)`);
  }
  if (value.fortranOrder && shape[0] > 1 && shape[1] > 1) {
    throw new DataError(file, key, field, `Fortran-ordered array of shape ${formatValue(value.shape)}; save it C-contiguous`);
  }
  const itemSize = value.dtype.kind === 'f4' ? 4 : 8;
  if (value.bytes.byteLength !== value.size * itemSize) {
    throw new DataError(file, key, field, `holds ${value.bytes.byteLength} bytes, shape ${formatValue(value.shape)} needs ${value.size * itemSize}`);
  }
  return { key, label, array: value, frames: shape[0], dims: shape[1] };
}

function describe(value: unknown): string {
  if (value === null) return 'None';
  if (Array.isArray(value)) return `a list of length ${value.length}`;
  if (value instanceof NumpyArray) return `an array of shape ${formatValue(value.shape)}`;
  if (value instanceof Uint8Array) return `bytes of length ${value.byteLength}`;
  return `${typeof value} ${formatValue(value)}`;
}
