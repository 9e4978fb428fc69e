/**
 * A light read of a pickle for the loader's first pass, which needs shapes, keys and labels but no
 * feature value: the opcodes are walked through the file with positioned reads, every large bytes
 * payload (BINBYTES, BINBYTES8, BYTEARRAY8: the arrays' raw data) is skipped on disk, and the rest
 * is copied into a skeleton in which each skipped payload is a short placeholder. The skeleton is
 * unpickled as usual; each placeholder then stands for a zero-filled view of the payload's length
 * (one shared buffer), so every check of the first pass sees the real byte counts.
 *
 * Only protocol 3 and later are skimmed (protocol 2 carries array bytes as latin-1 text, whose byte
 * count needs the text itself). Anything unexpected returns null, and the caller reads the whole
 * file instead, which reports any problem exactly as before.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { NumpyArray } from './numpy-array.js';
import { parsePickle } from './read-pickle.js';

/** Payloads at least this long are skipped (shorter ones, e.g. a scalar label's bytes, are kept). */
const SKIP_AT = 256;
const WINDOW = 1 << 16;
const TOKEN_MAGIC = 0x4d494b53; // "SKIM" little-endian, three times, then the payload's index
const TOKEN_BYTES = 16;

type Arg = 'none' | number | 'len1' | 'len4' | 'len8' | 'line' | 'lines2';

/** Every opcode of pickle protocols 0 to 5 and what follows it (pickletools' table). */
const OPCODES: Record<number, Arg> = {};
for (const c of '(.012NR]abd}elt)suoQ') OPCODES[c.charCodeAt(0)] = 'none';
for (const code of [0x81, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8f, 0x90, 0x91, 0x92, 0x93, 0x94, 0x97, 0x98]) OPCODES[code] = 'none';
for (const [c, n] of [['K', 1], ['h', 1], ['q', 1], ['M', 2], ['J', 4], ['j', 4], ['r', 4], ['G', 8]] as const) OPCODES[c.charCodeAt(0)] = n;
Object.assign(OPCODES, { 0x80: 1, 0x82: 1, 0x83: 2, 0x84: 4, 0x95: 8 });
for (const c of 'UC') OPCODES[c.charCodeAt(0)] = 'len1';
OPCODES[0x8c] = 'len1';
OPCODES[0x8a] = 'len1';
for (const c of 'TXB') OPCODES[c.charCodeAt(0)] = 'len4';
OPCODES[0x8b] = 'len4';
for (const code of [0x8d, 0x8e, 0x96]) OPCODES[code] = 'len8';
for (const c of 'ILSVFgpP') OPCODES[c.charCodeAt(0)] = 'line';
for (const c of 'ci') OPCODES[c.charCodeAt(0)] = 'lines2';

const BYTES_PAYLOAD = new Set(['B'.charCodeAt(0), 0x8e, 0x96]);
const FRAME = 0x95;
const SHORT_BINBYTES = 'C'.charCodeAt(0);
const STOP = '.'.charCodeAt(0);

/** Reads a file forward through a window, skipping ranges without reading them. */
class Cursor {
  private window = Buffer.alloc(WINDOW);
  private start = 0;
  private end = 0;
  pos = 0;
  constructor(private readonly fd: number, readonly size: number) {}

  /** `n` bytes from the current position (a view valid until the next call); null past the end. */
  take(n: number): Uint8Array | null {
    if (this.pos + n > this.size) return null;
    if (this.pos < this.start || this.pos + n > this.end) {
      if (n > this.window.length) this.window = Buffer.alloc(n);
      this.start = this.pos;
      this.end = this.pos + readSync(this.fd, this.window, 0, Math.min(this.window.length, this.size - this.pos), this.pos);
      if (this.pos + n > this.end) return null;
    }
    const out = this.window.subarray(this.pos - this.start, this.pos - this.start + n);
    this.pos += n;
    return out;
  }

  /** Bytes up to and including the next newline; null when there is none. */
  line(): Uint8Array | null {
    const parts: number[] = [];
    for (;;) {
      const b = this.take(1);
      if (b === null) return null;
      parts.push(b[0]);
      if (b[0] === 0x0a) return Uint8Array.from(parts);
      if (parts.length > 4096) return null;
    }
  }
}

/** The skeleton of `file` and the lengths of the payloads it stands in for, or null (read the whole file instead). */
function skeletonOf(file: string): { skeleton: Uint8Array; lengths: number[] } | null {
  const fd = openSync(file, 'r');
  try {
    const cursor = new Cursor(fd, fstatSync(fd).size);
    const head = cursor.take(2);
    if (head === null || head[0] !== 0x80 || head[1] < 3 || head[1] > 5) return null;
    const out: Uint8Array[] = [Uint8Array.from(head)];
    const lengths: number[] = [];
    for (;;) {
      const op = cursor.take(1);
      if (op === null) return null;
      const code = op[0];
      const arg = OPCODES[code];
      if (arg === undefined) return null;
      if (code === STOP) {
        out.push(Uint8Array.of(STOP));
        break;
      }
      if (code === FRAME) {
        // Frames only batch reads; a stream without them unpickles the same.
        if (cursor.take(8) === null) return null;
        continue;
      }
      if (arg === 'none') {
        out.push(Uint8Array.of(code));
      } else if (typeof arg === 'number') {
        const bytes = cursor.take(arg);
        if (bytes === null) return null;
        out.push(Uint8Array.of(code), Uint8Array.from(bytes));
      } else if (arg === 'line' || arg === 'lines2') {
        out.push(Uint8Array.of(code));
        for (let k = 0; k < (arg === 'line' ? 1 : 2); k++) {
          const line = cursor.line();
          if (line === null) return null;
          out.push(line);
        }
      } else {
        const width = arg === 'len1' ? 1 : arg === 'len4' ? 4 : 8;
        const lenBytes = cursor.take(width);
        if (lenBytes === null) return null;
        const view = new DataView(lenBytes.buffer, lenBytes.byteOffset, width);
        const length = width === 1 ? view.getUint8(0) : width === 4 ? view.getUint32(0, true) : Number(view.getBigUint64(0, true));
        if (cursor.pos + length > cursor.size) return null;
        if (BYTES_PAYLOAD.has(code) && length >= SKIP_AT) {
          const token = new Uint8Array(2 + TOKEN_BYTES);
          token[0] = SHORT_BINBYTES;
          token[1] = TOKEN_BYTES;
          const tokenView = new DataView(token.buffer);
          for (let k = 0; k < 3; k++) tokenView.setUint32(2 + 4 * k, TOKEN_MAGIC, true);
          tokenView.setUint32(14, lengths.length, true);
          lengths.push(length);
          out.push(token);
          cursor.pos += length; // skipped on disk
        } else {
          const payload = cursor.take(length);
          if (payload === null) return null;
          out.push(Uint8Array.of(code), Uint8Array.from(lenBytes), Uint8Array.from(payload));
        }
      }
    }
    return { skeleton: Buffer.concat(out), lengths };
  } finally {
    closeSync(fd);
  }
}

let zeros = new Uint8Array(0);

/** A zero-filled view of `length` bytes over one shared buffer (never written). */
function zeroView(length: number): Uint8Array {
  if (zeros.length < length) zeros = new Uint8Array(Math.max(length, zeros.length * 2));
  return zeros.subarray(0, length);
}

/** Replaces each array's placeholder bytes by a zero view of the payload's length; false if one is not a placeholder of this skeleton. */
function restoreLengths(value: unknown, lengths: number[], seen = new Set<unknown>()): boolean {
  if (value === null || typeof value !== 'object' || seen.has(value)) return true;
  seen.add(value);
  if (value instanceof NumpyArray) {
    const b = value.bytes;
    if (b.byteLength !== TOKEN_BYTES) return true; // a small array kept as it was
    const view = new DataView(b.buffer, b.byteOffset, TOKEN_BYTES);
    if ([0, 4, 8].some((at) => view.getUint32(at, true) !== TOKEN_MAGIC)) return true;
    const index = view.getUint32(12, true);
    if (index >= lengths.length) return false;
    value.bytes = zeroView(lengths[index]);
    return true;
  }
  if (Array.isArray(value)) return value.every((v) => restoreLengths(v, lengths, seen));
  return true;
}

/**
 * The unpickled content of `file` with every large array's bytes zero-filled (shapes, dtypes, keys,
 * labels and byte counts as in the file), read without its array payloads; null when the file
 * cannot be skimmed (the caller then reads it whole).
 */
export function skimPickleFile(file: string): unknown {
  try {
    const skim = skeletonOf(file);
    if (skim === null) return null;
    const parsed = parsePickle(skim.skeleton, file);
    return restoreLengths(parsed, skim.lengths) ? parsed : null;
  } catch {
    return null;
  }
}
