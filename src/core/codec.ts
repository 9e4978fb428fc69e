/**
 * Canonical binary encoding (msgpackr) and hashing. Objects are encoded with sorted keys so equal
 * values always give equal bytes; Float32Array round-trips as Float32Array (`moreTypes`).
 */
import { createHash } from 'node:crypto';
import { Packr } from 'msgpackr';

const packr = new Packr({ moreTypes: true, useRecords: false });

/** Recursively rebuilds plain objects with sorted keys; typed arrays and primitives pass through. */
export function canonicalize(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map(canonicalize);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value as object).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = canonicalize(v);
  }
  return out;
}

/** Encodes a value canonically; the result is a fresh copy (safe to keep or transfer). */
export function encode(value: unknown): Uint8Array {
  return new Uint8Array(packr.pack(canonicalize(value)));
}

/** Decodes bytes written by `encode`. */
export function decode<T = unknown>(bytes: Uint8Array): T {
  return packr.unpack(bytes) as T;
}

/** Hex sha-256 of raw bytes. */
export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Hex sha-256 of the canonical encoding of a value. */
export function hashValue(value: unknown): string {
  return sha256(encode(value));
}

/** Hex sha-256 of a typed array's bytes (exact bits). */
export function hashArray(array: ArrayBufferView): string {
  return sha256(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
}
