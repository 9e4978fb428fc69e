/**
 * Reads Python pickles holding numpy arrays with no Python at run time: pickleparser does the
 * opcodes, this file resolves the few globals numpy pickles name. Any other global is refused, so
 * an unexpected object fails loudly instead of arriving as an opaque stand-in.
 *
 * Supported: protocol 2–5. Protocol 5 arrays come as `_frombuffer(buffer, dtype, shape, order)`;
 * protocol 2–4 arrays as `_reconstruct(ndarray, (0,), b'b')` plus BUILD with the raw bytes
 * (protocol 2 wraps bytes in `_codecs.encode(str, 'latin1')`). numpy 1.x names these under
 * `numpy.core.*`, numpy 2.x under `numpy._core.*`; both are accepted.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Parser } from 'pickleparser';
import { DataError } from '../../core/errors.js';
import { NumpyArray, NumpyDtype } from './numpy-array.js';

type PyCallable = (...args: any[]) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any

function frombuffer(buffer: unknown, dtype: unknown, shape: unknown, order: unknown): NumpyArray {
  if (!(buffer instanceof Uint8Array)) throw new Error('_frombuffer: out-of-band buffers are not supported');
  if (!(dtype instanceof NumpyDtype)) throw new Error('_frombuffer: second argument is not a numpy dtype');
  const dims = Array.isArray(shape) ? shape.map(Number) : [Number(shape)];
  return new NumpyArray(dtype, dims, order === 'F', buffer);
}

/** `numpy.core.multiarray.scalar(dtype, bytes)`: a numpy scalar (e.g. an int64 label) as a number. */
function scalar(dtype: unknown, raw: unknown): number | boolean {
  if (!(dtype instanceof NumpyDtype) || !(raw instanceof Uint8Array)) throw new Error('numpy scalar: bad arguments');
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const le = dtype.littleEndian;
  switch (dtype.kind) {
    case 'f4': return view.getFloat32(0, le);
    case 'f8': return view.getFloat64(0, le);
    case 'i1': return view.getInt8(0);
    case 'u1': return view.getUint8(0);
    case 'b1': return view.getUint8(0) !== 0;
    case 'i2': return view.getInt16(0, le);
    case 'i4': return view.getInt32(0, le);
    case 'u4': return view.getUint32(0, le);
    case 'i8': return Number(view.getBigInt64(0, le));
    case 'u8': return Number(view.getBigUint64(0, le));
    default: throw new Error(`numpy scalar of dtype ${dtype.code} is not supported`);
  }
}

const GLOBALS: Record<string, PyCallable> = {
  'numpy.dtype': (code: unknown) => new NumpyDtype(String(code)),
  // Only ever passed as `_reconstruct`'s first argument, never called.
  'numpy.ndarray': () => {
    throw new Error('numpy.ndarray cannot be constructed from a pickle directly');
  },
  '_codecs.encode': (text: unknown) => Uint8Array.from(String(text), (c) => c.charCodeAt(0) & 0xff),
  // Protocol 2 pickles empty bytes as `bytes()` (Python 2 name `__builtin__`).
  'builtins.bytes': () => new Uint8Array(0),
  '__builtin__.bytes': () => new Uint8Array(0),
};
for (const root of ['numpy.core', 'numpy._core']) {
  GLOBALS[`${root}.numeric._frombuffer`] = frombuffer;
  GLOBALS[`${root}.multiarray._reconstruct`] = () => new NumpyArray(new NumpyDtype('u1'), [0], false, new Uint8Array(0));
  GLOBALS[`${root}.multiarray.scalar`] = scalar;
}

let parser: Parser | null = null;

/**
 * The parser, made on first use: every run imports the data loaders, few read pickles, and an
 * import of this CommonJS package costs start-up time (required, not imported: see model/tfjs.ts).
 */
function pickleParser(): Parser {
  if (parser) return parser;
  const { Parser: PickleParser } = createRequire(import.meta.url)('pickleparser') as typeof import('pickleparser');
  parser = new PickleParser({
    nameResolver: {
      resolve(module: string, name: string): PyCallable {
        const fn = GLOBALS[`${module}.${name}`];
        if (!fn) throw new Error(`unsupported Python global ${module}.${name}`);
        return fn;
      },
    },
  });
  return parser;
}

/** Unpickles `bytes` (the content of `file`, named in errors). Arrays become NumpyArray views into `bytes`. */
export function parsePickle(bytes: Uint8Array, file: string): unknown {
  if (bytes.length < 2 || bytes[0] !== 0x80) {
    throw new DataError(file, null, 'pickle', 'not a pickle of protocol >= 2 (first byte is not PROTO 0x80); re-save it with pickle protocol 2 or higher');
  }
  if (bytes[1] < 2 || bytes[1] > 5) {
    throw new DataError(file, null, 'pickle', `protocol ${bytes[1]} is not supported (2 to 5 are)`);
  }
  try {
    return pickleParser().parse(bytes);
  } catch (err) {
    if (err instanceof DataError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new DataError(file, null, 'pickle', `cannot be read (truncated or not a pickle?): ${message}`);
  }
}

/**
 * One growable buffer that file after file is read into. Fresh memory costs a page fault per page
 * on first touch, which on some VMs is slower than the read itself; reusing a buffer pays it once.
 * What `read` returns (and arrays parsed from it) is valid only until the next `read`.
 */
export class ReadBuffer {
  private buffer = Buffer.alloc(0);

  /** The content of `file`; a missing file is a DataError naming it. */
  read(file: string): Uint8Array {
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch (err) {
      throw fileError(file, err);
    }
    try {
      const size = fstatSync(fd).size;
      if (size > this.buffer.length) this.buffer = Buffer.allocUnsafe(Math.max(size, Math.ceil(this.buffer.length * 1.25)));
      let done = 0;
      while (done < size) {
        const n = readSync(fd, this.buffer, done, size - done, done);
        if (n === 0) break;
        done += n;
      }
      return this.buffer.subarray(0, done);
    } finally {
      closeSync(fd);
    }
  }
}

/** Reads and unpickles a file (through `via` when given); a missing file is a DataError naming it. */
export function readPickleFile(file: string, via?: ReadBuffer): unknown {
  return parsePickle(via ? via.read(file) : readFileOrThrow(file), file);
}

/** readFileSync with a DataError naming the file when it is missing or unreadable. */
export function readFileOrThrow(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw fileError(file, err);
  }
}

function fileError(file: string, err: unknown): DataError {
  const code = (err as NodeJS.ErrnoException).code;
  return new DataError(file, null, 'file', code === 'ENOENT' ? 'missing (no such file)' : `cannot be read (${code ?? String(err)})`);
}
