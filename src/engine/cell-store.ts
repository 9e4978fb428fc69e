/**
 * Finished grid cells on disk, so an interrupted compare or sweep continues where it stopped: each
 * cell is one JSON file under `<out>/cells/`, named by a key that hashes everything its result
 * depends on (the resolved scenario, the backend, the doomed-work switch and the package version),
 * written aside and renamed into place by atomic-write.ts (a kill never leaves a half-written cell).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashValue } from '../core/codec.js';
import { writeAtomic } from './atomic-write.js';
import type { Scenario } from '../scenario/schema.js';

/** The key of a cell: sha-256 of what determines its result. */
export function cellKey(parts: { scenario: Scenario; backend: string; computeDoomed: boolean; version: string }): string {
  return hashValue({ ...parts, scenario: JSON.parse(JSON.stringify(parts.scenario)) }).slice(0, 32);
}

/** A folder of finished cells. */
export class CellStore {
  constructor(readonly dir: string) {}

  /** The stored record of `key`, or null when absent (or unreadable: it is then computed again). */
  get<T>(key: string): T | null {
    const path = join(this.dir, `${key}.json`);
    if (!existsSync(path)) return null;
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as T;
    } catch {
      return null;
    }
  }

  /** Stores a finished cell under `key`. */
  put(key: string, record: unknown): void {
    mkdirSync(this.dir, { recursive: true });
    writeAtomic(join(this.dir, `${key}.json`), `${JSON.stringify(record)}\n`);
  }
}
