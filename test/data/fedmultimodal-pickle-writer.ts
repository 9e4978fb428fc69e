/**
 * Test helper: writes FedMultimodal-style feature lists as protocol-5 pickles (the opcodes numpy
 * and pickle emit for `[[key, path, label, ndarray | None], ...]`), so tests can build corrupted
 * variants of the fixture without Python. The committed fixture itself comes from real numpy.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { readFeatureItems } from '../../src/data/fedmultimodal/feature-items.js';
import { parsePickle } from '../../src/data/fedmultimodal/read-pickle.js';

/** An array to pickle: numpy dtype string with byte order (e.g. `<f4`), shape, raw bytes. */
export interface RawArray {
  dtype: string;
  shape: number[];
  order?: 'C' | 'F';
  bytes: Uint8Array;
}

/** One list entry. */
export interface RawItem {
  key: string;
  path: string;
  label: number;
  array: RawArray | null;
}

class Out {
  parts: Buffer[] = [];
  op(...bytes: number[]) {
    this.parts.push(Buffer.from(bytes));
  }
  str(text: string) {
    const data = Buffer.from(text, 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32LE(data.length);
    this.parts.push(Buffer.from([0x58]), len, data); // BINUNICODE
  }
  int(value: number) {
    const b = Buffer.alloc(5);
    b[0] = 0x4a; // BININT
    b.writeInt32LE(value, 1);
    this.parts.push(b);
  }
  bytearray(data: Uint8Array) {
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(data.length));
    this.parts.push(Buffer.from([0x96]), len, Buffer.from(data)); // BYTEARRAY8
  }
}

const MARK = 0x28, TUPLE = 0x74, REDUCE = 0x52, BUILD = 0x62, STACK_GLOBAL = 0x93, NONE = 0x4e;

function writeArray(out: Out, a: RawArray): void {
  out.str('numpy.core.numeric');
  out.str('_frombuffer');
  out.op(STACK_GLOBAL, MARK);
  out.bytearray(a.bytes);
  out.str('numpy');
  out.str('dtype');
  out.op(STACK_GLOBAL);
  out.str(a.dtype.replace(/^[<>|=]/, ''));
  out.op(0x89, 0x88, 0x87, REDUCE, MARK); // NEWFALSE NEWTRUE TUPLE3 REDUCE, then the state tuple
  out.int(3);
  out.str(/^[<>|=]/.test(a.dtype) ? a.dtype[0] : '<');
  out.op(NONE, NONE, NONE);
  out.int(-1);
  out.int(-1);
  out.int(0);
  out.op(TUPLE, BUILD, MARK);
  a.shape.forEach((d) => out.int(d));
  out.op(TUPLE);
  out.str(a.order ?? 'C');
  out.op(TUPLE, REDUCE);
}

/** Pickle bytes (protocol 5) of a feature list. */
export function pickleFeatureList(items: RawItem[]): Buffer {
  const out = new Out();
  out.op(0x80, 5, 0x5d, MARK); // PROTO 5, EMPTY_LIST, MARK
  for (const item of items) {
    out.op(0x5d, MARK);
    out.str(item.key);
    out.str(item.path);
    out.int(item.label);
    if (item.array) writeArray(out, item.array);
    else out.op(NONE);
    out.op(0x65); // APPENDS
  }
  out.op(0x65, 0x2e); // APPENDS, STOP
  return Buffer.concat(out.parts);
}

/** Reads a feature pickle back into RawItems (copies of the array bytes), to mutate and rewrite. */
export function readRawItems(file: string): RawItem[] {
  const items = readFeatureItems(parsePickle(readFileSync(file), file), file, 'test');
  return items.map((it) => ({
    key: it.key,
    path: '/data/x.wav',
    label: it.label,
    array: it.array && {
      dtype: `${it.array.dtype.littleEndian ? '<' : '>'}${it.array.dtype.kind}`,
      shape: [it.frames, it.dims],
      bytes: new Uint8Array(it.array.bytes),
    },
  }));
}

/** Rewrites `file` after `mutate` changed its items. */
export function rewritePickle(file: string, mutate: (items: RawItem[]) => void): void {
  const items = readRawItems(file);
  mutate(items);
  writeFileSync(file, pickleFeatureList(items));
}

/** float32 array (C order) from values. */
export function f32Array(values: number[], shape: number[]): RawArray {
  return { dtype: '<f4', shape, bytes: new Uint8Array(new Float32Array(values).buffer) };
}
