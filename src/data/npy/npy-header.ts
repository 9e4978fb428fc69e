/**
 * The NPY header (numpy's `.npy` format, versions 1.0, 2.0 and 3.0): magic `\x93NUMPY`, major and
 * minor version bytes, header length (uint16 LE in v1, uint32 LE in v2/v3), then a Python dict
 * literal `{'descr': '<f4', 'fortran_order': False, 'shape': (N, F, D), }` padded with spaces and
 * a newline (latin1 in v1/v2, utf-8 in v3). The data follows at the returned offset.
 */
import { DataError } from '../../core/errors.js';

/** What the loaders need from a header. */
export interface NpyHeader {
  /** numpy type string as written, e.g. `<f4`. */
  descr: string;
  /** Type code without byte order, e.g. `f4`, `i8`. */
  kind: string;
  littleEndian: boolean;
  itemSize: number;
  fortranOrder: boolean;
  shape: number[];
  /** Byte offset of the data. */
  dataOffset: number;
  /** Number of elements (product of shape). */
  size: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Bytes needed to know the full header length (magic, version, length field). */
export const NPY_PREFIX_BYTES = 12;

/** Total header length given the first NPY_PREFIX_BYTES bytes of `file`. */
export function npyHeaderLength(prefix: Uint8Array, file: string): number {
  if (prefix.length < 10 || MAGIC.some((b, i) => prefix[i] !== b)) {
    throw new DataError(file, null, 'npy header', 'not an NPY file (no \\x93NUMPY magic)');
  }
  const major = prefix[6];
  const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  if (major === 1) return 10 + view.getUint16(8, true);
  if (major === 2 || major === 3) {
    if (prefix.length < 12) throw new DataError(file, null, 'npy header', 'truncated');
    return 12 + view.getUint32(8, true);
  }
  throw new DataError(file, null, 'npy header', `version ${major}.${prefix[7]} is not supported (1.0, 2.0, 3.0 are)`);
}

/** Parses a full header (`bytes` holds at least npyHeaderLength bytes). */
export function parseNpyHeader(bytes: Uint8Array, file: string): NpyHeader {
  const dataOffset = npyHeaderLength(bytes, file);
  if (bytes.length < dataOffset) throw new DataError(file, null, 'npy header', `truncated: ${bytes.length} of ${dataOffset} header bytes`);
  const start = bytes[6] === 1 ? 10 : 12;
  const text = new TextDecoder(bytes[6] === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, dataOffset));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined) throw new DataError(file, null, 'npy header.descr', `missing or not a simple dtype (structured arrays are not supported): ${text.trim()}`);
  if (fortran === undefined || shapeText === undefined) throw new DataError(file, null, 'npy header', `cannot parse ${JSON.stringify(text.trim())}`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new DataError(file, null, 'npy header.shape', `invalid shape (${shapeText})`);
  const order = descr[0];
  const kind = /^[<>|=]/.test(descr) ? descr.slice(1) : descr;
  const itemSize = Number(kind.slice(1));
  return {
    descr,
    kind,
    littleEndian: order !== '>',
    itemSize: Number.isInteger(itemSize) && itemSize > 0 ? itemSize : 0,
    fortranOrder: fortran === 'True',
    shape,
    dataOffset,
    size: shape.reduce((a, b) => a * b, 1),
  };
}
