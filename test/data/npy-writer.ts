/**
 * Test helper: `.npy` bytes per the NPY format spec (magic, version, header length, dict literal
 * padded to a multiple of 64 bytes, data), for hand-made good and bad inputs.
 */

/** Options for npyBytes. */
export interface NpyWriteOptions {
  version?: 1 | 2 | 3;
  fortranOrder?: boolean;
  /** Replace the whole header dict text (for malformed headers). */
  headerText?: string;
}

/** NPY file bytes for `data` with `descr` (e.g. `<f4`) and `shape`. */
export function npyBytes(descr: string, shape: number[], data: ArrayBufferView, opts: NpyWriteOptions = {}): Buffer {
  const version = opts.version ?? 1;
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = opts.headerText ?? `{'descr': '${descr}', 'fortran_order': ${opts.fortranOrder ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const prefix = version === 1 ? 10 : 12;
  const unpadded = prefix + Buffer.byteLength(dict) + 1;
  const header = dict + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const head = Buffer.alloc(prefix);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]).copy(head);
  if (version === 1) head.writeUInt16LE(Buffer.byteLength(header), 8);
  else head.writeUInt32LE(Buffer.byteLength(header), 8);
  return Buffer.concat([head, Buffer.from(header, version === 3 ? 'utf8' : 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}
