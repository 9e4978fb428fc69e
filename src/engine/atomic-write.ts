/**
 * Durable file writes for run folders and checkpoints: a file is written beside its target, synced
 * and renamed into place (a kill leaves the old file or the new one, never half of one), and the
 * folder is synced so the rename itself survives a crash. A failed write (a full disk) removes the
 * file written aside and throws an OutputWriteError naming the path; the target is untouched.
 * File operations are injectable, so tests can make a write fail. Grid cells (cell-store.ts) and
 * sweep outputs use the same writer.
 */
import * as fs from 'node:fs';
import { dirname } from 'node:path';

/** The file operations these writes use (node:fs by default; tests inject failures). */
export interface FileOps {
  openSync(path: string, flags: string): number;
  writeSync(fd: number, data: Uint8Array | string): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  rmSync(path: string, options?: { force?: boolean; recursive?: boolean }): void;
  truncateSync(path: string, length: number): void;
}

/** node:fs itself. */
export const NODE_FILE_OPS: FileOps = {
  openSync: (path, flags) => fs.openSync(path, flags),
  writeSync: (fd, data) => (typeof data === 'string' ? fs.writeSync(fd, data) : fs.writeSync(fd, data)),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  closeSync: (fd) => fs.closeSync(fd),
  renameSync: (from, to) => fs.renameSync(from, to),
  rmSync: (path, options) => fs.rmSync(path, options),
  truncateSync: (path, length) => fs.truncateSync(path, length),
};

/** A write that failed: names the path and the reason (a full disk says so). Exit code 1. */
export class OutputWriteError extends Error {
  /** Exit code the CLI uses for this error. */
  readonly exitCode = 1;
  constructor(
    readonly path: string,
    override readonly cause: unknown,
  ) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    const why = code === 'ENOSPC' ? 'no space left on device (ENOSPC)' : cause instanceof Error ? cause.message : String(cause);
    super(`cannot write ${path}: ${why}`);
    this.name = 'OutputWriteError';
  }
}

/** Writes all of `data` to `fd` (writeSync may write less than asked); `close` closes it after. */
export function writeAll(io: FileOps, fd: number, data: Uint8Array | string, close = false): void {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  try {
    let offset = 0;
    while (offset < bytes.length) offset += io.writeSync(fd, bytes.subarray(offset));
  } finally {
    if (close) io.closeSync(fd);
  }
}

/** Syncs a folder, so renames into it are durable (best effort: not every file system allows it). */
export function syncFolder(io: FileOps, dir: string): void {
  let fd: number | null = null;
  try {
    fd = io.openSync(dir, 'r');
    io.fsyncSync(fd);
  } catch {
    // e.g. a file system that cannot sync folders; the rename is still atomic
  } finally {
    if (fd !== null) io.closeSync(fd);
  }
}

/** The path a file is written to before it is renamed to `path` (`tag` tells two such writes apart). */
export function asidePath(path: string, tag = ''): string {
  return `${path}.${process.pid}${tag ? `.${tag}` : ''}.tmp`;
}

/** Writes `data` to `path` aside and synced, without renaming it yet (see commitAside). */
export function writeAside(path: string, data: Uint8Array | string, io: FileOps = NODE_FILE_OPS, tag = ''): string {
  const aside = asidePath(path, tag);
  let fd: number | null = null;
  try {
    fd = io.openSync(aside, 'w');
    writeAll(io, fd, data);
    io.fsyncSync(fd);
  } catch (error) {
    if (fd !== null) io.closeSync(fd);
    fd = null;
    io.rmSync(aside, { force: true });
    throw new OutputWriteError(path, error);
  } finally {
    if (fd !== null) io.closeSync(fd);
  }
  return aside;
}

/** Renames a file written aside into place. */
export function commitAside(aside: string, path: string, io: FileOps = NODE_FILE_OPS): void {
  try {
    io.renameSync(aside, path);
  } catch (error) {
    io.rmSync(aside, { force: true });
    throw new OutputWriteError(path, error);
  }
}

/** Writes `data` to `path` atomically and durably: aside, fsync, rename, folder sync. */
export function writeAtomic(path: string, data: Uint8Array | string, io: FileOps = NODE_FILE_OPS, tag = 'atomic'): void {
  commitAside(writeAside(path, data, io, tag), path, io);
  syncFolder(io, dirname(path));
}
