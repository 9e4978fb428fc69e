/**
 * Writes a run folder: summary.json, trace.jsonl (every delivered event, arrays as digests),
 * trace.msgpack (the same records in the canonical encoding the trace hash is taken over) and
 * rounds.csv (one line per round with accounting and headline metrics).
 *
 * A folder is never a mix of two runs: a new run first replaces summary.json by one marked
 * `"complete": false` and removes the earlier run's other files (startRunFolder); at the end every
 * file is written aside and synced, summary.json is marked `complete: false` while the others are
 * renamed into place, then the new summary.json is renamed in last. A kill at any point leaves
 * either the finished folder or one whose summary says `complete: false`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunConfig } from '../engine/run-config.js';
import type { RunResult } from '../engine/run-simulation.js';
import { commitAside, NODE_FILE_OPS, syncFolder, writeAside, writeAtomic, type FileOps } from '../engine/atomic-write.js';
import { encode } from '../core/codec.js';
import { toCsv } from '../report/csv.js';
import { toJsonl } from '../report/jsonl.js';
import { roundColumns, roundRows } from '../report/round-rows.js';
import { buildRunSummary } from '../report/run-summary.js';

/** The files of a run folder besides summary.json (and its checkpoint/ while a run is unfinished). */
export const RUN_FILES = ['trace.jsonl', 'trace.msgpack', 'rounds.csv'] as const;

/** What the summary records beyond the run itself. */
export interface RunFolderExtra {
  workers: number;
  scenarioFile: string;
  wallTimeMs: number;
  /** A run stopped by a signal: the signal, and the command that continues it. */
  interrupted?: { signal: string; resume: string };
}

/** Removes the run files and any file left aside by a killed writer (`<name>.<pid>[.tag].tmp`). */
function removeRunFiles(dir: string, io: FileOps): void {
  const ours = new Set<string>(['summary.json', ...RUN_FILES]);
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    const aside = /^(.*?)\.\d+(\.\w+)?\.tmp$/.exec(name);
    if ((aside && ours.has(aside[1])) || (RUN_FILES as readonly string[]).includes(name)) io.rmSync(join(dir, name), { force: true });
  }
}

/**
 * Marks `dir` as holding an unfinished run before any work: summary.json says `complete: false`
 * (`status: 'running'`), and an earlier run's trace and rounds files are gone.
 */
export function startRunFolder(dir: string, identity: Record<string, unknown>, io: FileOps = NODE_FILE_OPS): void {
  mkdirSync(dir, { recursive: true });
  writeAtomic(join(dir, 'summary.json'), `${JSON.stringify({ complete: false, status: 'running', ...identity }, null, 2)}\n`, io);
  removeRunFiles(dir, io);
  syncFolder(io, dir);
}

/**
 * Marks an unfinished folder as crashed: summary.json keeps the identity `startRunFolder` wrote and
 * says `status: 'crashed'` with the error and, when a checkpoint is kept, how to resume.
 */
export function markRunCrashed(dir: string, error: unknown, checkpoint: { roundsClosed: number; resume: string } | null, io: FileOps = NODE_FILE_OPS): void {
  const path = join(dir, 'summary.json');
  let identity: Record<string, unknown> = {};
  try {
    identity = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    // No readable summary (the crash came before the folder was started): write the crash alone.
  }
  const message = error instanceof Error ? error.message : String(error);
  writeAtomic(path, `${JSON.stringify({ ...identity, complete: false, status: 'crashed', crash: { error: message, checkpoint } }, null, 2)}\n`, io);
}

/**
 * Writes the run's files into `dir` (created if needed) and returns the summary. A run that could
 * not train is written too, as `complete: false` with its `failure` and no `final` score; an
 * interrupted one as `complete: false` with `interrupted`; the per-round records and scores they
 * did compute are kept. `sha256sum trace.msgpack` always prints the summary's traceHash.
 */
export function writeRunFolder(dir: string, config: RunConfig, result: RunResult, extra: RunFolderExtra, io: FileOps = NODE_FILE_OPS) {
  mkdirSync(dir, { recursive: true });
  const built = buildRunSummary(config, result, extra);
  const complete = result.complete !== false;
  const summary = {
    complete,
    failure: result.failure ?? null,
    ...(extra.interrupted ? { interrupted: { ...extra.interrupted, events: result.events, roundsClosed: result.rounds.length } } : {}),
    ...built,
    final: complete ? built.final : null,
  };
  const rows = roundRows(result, config.strategy.headline);
  const files: Array<[string, string | Uint8Array]> = [
    ['trace.jsonl', toJsonl([...result.trace])],
    // The canonical bytes the trace hash is taken over: `sha256sum trace.msgpack` prints traceHash.
    ['trace.msgpack', Buffer.concat(result.trace.map((record) => encode(record)))],
    ['rounds.csv', toCsv(rows, roundColumns(rows))],
    ['summary.json', `${JSON.stringify(summary, null, 2)}\n`],
  ];
  // Everything aside first (a full disk fails here and changes nothing), then the renames, summary last.
  const aside: Array<[string, string]> = [];
  try {
    for (const [name, data] of files) aside.push([writeAside(join(dir, name), data, io), join(dir, name)]);
  } catch (error) {
    for (const [path] of aside) io.rmSync(path, { force: true });
    throw error;
  }
  // Until the new summary is in place, the folder says it is incomplete (never old summary, new traces).
  writeAtomic(join(dir, 'summary.json'), `${JSON.stringify({ complete: false, status: 'writing', scenario: summary.scenario, seed: summary.seed, traceHash: summary.traceHash }, null, 2)}\n`, io);
  for (const [from, to] of aside) commitAside(from, to, io);
  syncFolder(io, dir);
  return summary;
}
