/**
 * A numpy array as it comes out of a pickle: raw bytes plus dtype, byte order, shape and memory
 * order. Nothing is converted here; the loaders copy (and convert) straight into the shared store.
 */

/** A numpy dtype as pickled (`numpy.dtype('f4', False, True)` then BUILD with its state tuple). */
export class NumpyDtype {
  /** Byte order from the BUILD state: '<' little, '>' big, '|' not applicable, '=' native. */
  byteOrder = '=';
  constructor(readonly code: string) {}

  /** numpy's BUILD state: (version, byteorder, subarray, names, fields, elsize, alignment, flags). */
  __setstate__(state: unknown): void {
    if (Array.isArray(state) && typeof state[1] === 'string') this.byteOrder = state[1];
  }

  /** Type code without byte order, e.g. `f4` for `<f4`, `f8` for `float64`. */
  get kind(): string {
    const code = this.code.replace(/^[<>|=]/, '');
    return NAMED_DTYPES[code] ?? code;
  }

  /** Whether the data is little-endian (native order on every platform Node runs on). */
  get littleEndian(): boolean {
    const explicit = /^[<>]/.exec(this.code)?.[0];
    return (explicit ?? this.byteOrder) !== '>';
  }
}

const NAMED_DTYPES: Record<string, string> = {
  float32: 'f4', float64: 'f8', int32: 'i4', int64: 'i8', single: 'f4', double: 'f8',
};

/** An unpickled numpy array. `bytes` is a view into the pickle file's buffer (no copy). */
export class NumpyArray {
  constructor(
    public dtype: NumpyDtype,
    public shape: number[],
    public fortranOrder: boolean,
    public bytes: Uint8Array,
  ) {}

  /**
   * BUILD state of an array made by `numpy.core.multiarray._reconstruct` (pickle protocol < 5):
   * (version, shape, dtype, is_fortran, rawdata); version 0 pickles omit the version.
   */
  __setstate__(state: unknown): void {
    if (!Array.isArray(state)) throw new Error('ndarray state is not a tuple');
    const [shape, dtype, fortran, raw] = state.length === 5 ? state.slice(1) : state;
    if (!(dtype instanceof NumpyDtype)) throw new Error('ndarray state has no dtype');
    if (!(raw instanceof Uint8Array)) {
      throw new Error(`ndarray of dtype ${dtype.code} holds Python objects, not numbers`);
    }
    this.shape = (shape as unknown[]).map(Number);
    this.dtype = dtype;
    this.fortranOrder = Boolean(fortran);
    this.bytes = raw;
  }

  /** Number of elements. */
  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }
}
