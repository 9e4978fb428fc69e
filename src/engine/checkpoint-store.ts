/**
 * Checkpoints on disk, in `<run folder>/checkpoint/`: `trace.part` holds the trace so far (the
 * canonical record encodings trace.msgpack is made of, appended at each save and synced), and
 * `state.msgpack` the run state, the caller's metadata and how many bytes of `trace.part` belong
 * to it, written atomically after the trace. A kill or a full disk at any point leaves the previous
 * checkpoint whole: bytes of `trace.part` beyond the length its state names are cut off.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Packr } from 'msgpackr';
import { encode } from '../core/codec.js';
import type { TraceRecord } from '../sim/trace.js';
import { NODE_FILE_OPS, OutputWriteError, writeAll, writeAtomic, type FileOps } from './atomic-write.js';
import type { CheckpointSink, RunCheckpoint, RunState } from './run-state.js';

/** The folder of a run folder's checkpoint. */
export const CHECKPOINT_DIR = 'checkpoint';

// Order-preserving and reference-sharing (a round's clients share one weight map), typed arrays kept.
const statePackr = new Packr({ structuredClone: true, moreTypes: true, useRecords: false });
// The trace's own encoding (src/core/codec.ts), to read its records back.
const tracePackr = new Packr({ moreTypes: true, useRecords: false });

/** What state.msgpack holds. */
interface StoredCheckpoint<M> {
  format: 'modality-mirror/checkpoint';
  meta: M;
  state: RunState;
  /** Bytes of trace.part that belong to this state. */
  traceBytes: number;
}

/** A checkpoint read back: the caller's metadata and what runSimulation resumes from. */
export interface LoadedCheckpoint<M> {
  meta: M;
  checkpoint: RunCheckpoint;
  /** Bytes of trace.part that belong to it. */
  traceBytes: number;
  /** The state's file, for messages. */
  path: string;
}

/** Writes the checkpoints of one run folder. */
export class CheckpointStore<M> {
  readonly dir: string;
  private readonly tracePath: string;
  private traceBytes: number;

  /**
   * `meta` is stored with every checkpoint (what a resume needs to rebuild the run). `resumed`
   * continues that checkpoint's trace; otherwise the trace starts empty.
   */
  constructor(
    runFolder: string,
    private readonly meta: M,
    resumed: LoadedCheckpoint<M> | null = null,
    private readonly io: FileOps = NODE_FILE_OPS,
  ) {
    this.dir = join(runFolder, CHECKPOINT_DIR);
    this.tracePath = join(this.dir, 'trace.part');
    this.traceBytes = resumed?.traceBytes ?? 0;
    mkdirSync(this.dir, { recursive: true });
    if (resumed) this.cutTrace();
    else writeAll(this.io, this.open('w'), new Uint8Array(0), true);
  }

  /** Last saved state: its round and event, for messages (null before the first save). */
  last: { roundsClosed: number; events: number } | null = null;

  private open(flags: string): number {
    try {
      return this.io.openSync(this.tracePath, flags);
    } catch (error) {
      throw new OutputWriteError(this.tracePath, error);
    }
  }

  /** Cuts trace.part to the saved state's length (a failed or killed append may have left more). */
  private cutTrace(): void {
    try {
      this.io.truncateSync(this.tracePath, this.traceBytes);
    } catch (error) {
      throw new OutputWriteError(this.tracePath, error);
    }
  }

  /** Appends `records` to trace.part and writes the state after them (the trace first, both synced). */
  save(state: RunState, records: readonly TraceRecord[]): void {
    const bytes = Buffer.concat(records.map((record) => encode(record)));
    if (bytes.length > 0) {
      this.cutTrace();
      const fd = this.open('a');
      try {
        writeAll(this.io, fd, bytes);
        this.io.fsyncSync(fd);
      } catch (error) {
        throw new OutputWriteError(this.tracePath, error);
      } finally {
        this.io.closeSync(fd);
      }
    }
    const stored: StoredCheckpoint<M> = { format: 'modality-mirror/checkpoint', meta: this.meta, state, traceBytes: this.traceBytes + bytes.length };
    // On failure the previous state stays, naming only the first traceBytes of trace.part.
    writeAtomic(join(this.dir, 'state.msgpack'), new Uint8Array(statePackr.pack(stored)), this.io);
    this.traceBytes += bytes.length;
    this.last = { roundsClosed: state.roundsClosed, events: state.events };
  }

  /** This store as runSimulation's checkpoint sink, every `every` closed rounds. */
  sink(every: number): CheckpointSink {
    return { every, save: (state, records) => this.save(state, records) };
  }
}

/** The checkpoint of a run folder, or null when it has none. Throws naming the file when it is unreadable. */
export function readCheckpoint<M>(runFolder: string): LoadedCheckpoint<M> | null {
  const dir = join(runFolder, CHECKPOINT_DIR);
  const path = join(dir, 'state.msgpack');
  if (!existsSync(path)) return null;
  let stored: StoredCheckpoint<M>;
  try {
    stored = statePackr.unpack(readFileSync(path)) as StoredCheckpoint<M>;
  } catch (error) {
    throw new Error(`${path}: not a readable checkpoint (${(error as Error).message})`);
  }
  if (stored?.format !== 'modality-mirror/checkpoint') throw new Error(`${path}: not a modality-mirror checkpoint`);
  const tracePath = join(dir, 'trace.part');
  const size = existsSync(tracePath) ? statSync(tracePath).size : 0;
  if (size < stored.traceBytes) throw new Error(`${tracePath}: holds ${size} bytes, fewer than the ${stored.traceBytes} its checkpoint names`);
  const bytes = readFileSync(tracePath).subarray(0, stored.traceBytes);
  const trace = (bytes.length > 0 ? tracePackr.unpackMultiple(bytes) : []) as TraceRecord[];
  return { meta: stored.meta, checkpoint: { state: stored.state, trace }, traceBytes: stored.traceBytes, path };
}

/** Encodes a run state as a checkpoint stores it and decodes it again (what a resume would see). */
export function roundTripState(state: RunState): RunState {
  return statePackr.unpack(statePackr.pack(state)) as RunState;
}
