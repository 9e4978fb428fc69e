/**
 * The run's trace: one record per delivered event, in delivery order. Large arrays are replaced by
 * digests of their exact bits, so the trace stays small yet its hash still changes when any weight
 * does. The trace hash is sha-256 over the canonical msgpack encoding of every record in order.
 */
import { createHash, type Hash } from 'node:crypto';
import { encode, hashArray } from '../core/codec.js';

/** One delivered event. `msg` is the message with arrays replaced by `f32[n]#digest` strings. */
export interface TraceRecord {
  seq: number;
  atMs: number;
  from: string;
  to: string;
  type: string;
  msg: Record<string, unknown>;
}

/** Replaces typed arrays by a short digest of their bits, recursively. */
export function digestPayload(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value)) {
    const kind = value.constructor.name.replace('Array', '').toLowerCase();
    const length = (value as unknown as { length: number }).length;
    return `${kind}[${length}]#${hashArray(value).slice(0, 16)}`;
  }
  if (Array.isArray(value)) return value.map(digestPayload);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = digestPayload((value as Record<string, unknown>)[key]);
  return out;
}

/** Records events, hashes them as they come, and keeps all (or only the last few) in memory. */
export class TraceRecorder {
  private readonly hash: Hash = createHash('sha256');
  private readonly kept: TraceRecord[] = [];
  private readonly tail: TraceRecord[] = [];
  private count = 0;

  /** `retain: false` keeps only a short tail (for runs with millions of events). */
  constructor(private readonly options: { retain: boolean; tailSize?: number; onRecord?: (r: TraceRecord) => void } = { retain: true }) {}

  /** Records one delivered event. */
  record(record: Omit<TraceRecord, 'msg'> & { msg: object }): TraceRecord {
    const full: TraceRecord = { ...record, msg: digestPayload(record.msg) as Record<string, unknown> };
    this.hash.update(encode(full));
    this.count++;
    if (this.options.retain) this.kept.push(full);
    this.tail.push(full);
    if (this.tail.length > (this.options.tailSize ?? 20)) this.tail.shift();
    this.options.onRecord?.(full);
    return full;
  }

  /**
   * Records a checkpoint's trace again (an empty recorder only): the hash continues from it, and
   * the records are kept as if they had been recorded here. Returns the digest after them.
   */
  restore(records: readonly TraceRecord[]): string {
    if (this.count > 0) throw new Error('TraceRecorder.restore: the recorder has records already');
    for (const r of records) {
      // The field order every record has (a decoded record may come with its keys sorted).
      const full: TraceRecord = { seq: r.seq, atMs: r.atMs, from: r.from, to: r.to, type: r.type, msg: r.msg };
      this.hash.update(encode(full));
      this.count++;
      if (this.options.retain) this.kept.push(full);
      this.tail.push(full);
      if (this.tail.length > (this.options.tailSize ?? 20)) this.tail.shift();
    }
    return this.digest();
  }

  /** Number of events recorded. */
  get size(): number {
    return this.count;
  }

  /** Every record (empty when not retained). */
  get records(): readonly TraceRecord[] {
    return this.kept;
  }

  /** The last few records, for crash reports. */
  get lastRecords(): readonly TraceRecord[] {
    return this.tail;
  }

  /** sha-256 of the canonical trace so far (the recorder can keep recording afterwards). */
  digest(): string {
    return this.hash.copy().digest('hex');
  }
}
