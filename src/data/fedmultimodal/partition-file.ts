/**
 * FedMultimodal's partition JSON (`{"0": [[key, path, label], ...], ..., "dev": [...], "test": [...]}`)
 * and its missing-modality simulation JSON (the same, each item with a 4th element
 * `[missAudio, missVideo, label, missingLabel]`).
 */
import { DataError, formatValue } from '../../core/errors.js';
import { readFileOrThrow } from './read-pickle.js';

/** Per-item simulation flags (FedMultimodal's `[missing_modalityA, missing_modalityB, new_label, missing_label]`). */
export interface SimulationFlags {
  missAudio: boolean;
  missVideo: boolean;
  /** Label to train with (differs from the original under label-noise simulation). */
  label: number;
  missingLabel: boolean;
}

/** One item of a partition or simulation file. */
export interface PartitionItem {
  key: string;
  label: number;
  /** Present in simulation files only. */
  sim?: SimulationFlags;
}

/** Groups by name ("0", "1", …, "dev", "test"), items in file order. */
export type PartitionGroups = Map<string, PartitionItem[]>;

/** Reads a partition (or, with `simulation`, a simulation) file; every item is checked. */
export function readPartitionFile(file: string, simulation = false): PartitionGroups {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileOrThrow(file).toString('utf8'));
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError(file, null, 'json', `not valid JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new DataError(file, null, 'top level', 'expected an object of groups {"0": [...], "dev": [...], "test": [...]}');
  }
  const groups: PartitionGroups = new Map();
  for (const [name, items] of Object.entries(parsed as Record<string, unknown>)) {
    if (!Array.isArray(items)) throw new DataError(file, null, `group ${name}`, `expected a list of items, got ${formatValue(items)}`);
    groups.set(name, items.map((item, position) => readItem(item, `${name}#${position}`, file, simulation)));
  }
  return groups;
}

function readItem(item: unknown, where: string, file: string, simulation: boolean): PartitionItem {
  const minLength = simulation ? 4 : 3;
  if (!Array.isArray(item) || item.length < minLength) {
    const shape = simulation ? '[key, path, label, [missA, missV, label, missLabel]]' : '[key, path, label]';
    throw new DataError(file, where, 'item', `expected ${shape}, got ${formatValue(item)}`);
  }
  const [key, , label] = item;
  if (typeof key !== 'string') throw new DataError(file, where, 'key', `expected a string, got ${formatValue(key)}`);
  checkInteger(label, file, key, 'label');
  if (!simulation) return { key, label };
  const flags = item[item.length - 1];
  if (!Array.isArray(flags) || flags.length !== 4) {
    throw new DataError(file, key, 'simulation', `expected [missAudio, missVideo, label, missingLabel], got ${formatValue(flags)}`);
  }
  const [missAudio, missVideo, simLabel, missingLabel] = flags;
  checkFlag(missAudio, file, key, 'simulation.missAudio');
  checkFlag(missVideo, file, key, 'simulation.missVideo');
  checkInteger(simLabel, file, key, 'simulation.label');
  checkFlag(missingLabel, file, key, 'simulation.missingLabel');
  return {
    key,
    label,
    sim: { missAudio: missAudio === 1, missVideo: missVideo === 1, label: simLabel, missingLabel: missingLabel === 1 },
  };
}

function checkInteger(value: unknown, file: string, key: string, field: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new DataError(file, key, field, `expected an integer, got ${formatValue(value)}`);
  }
}

function checkFlag(value: unknown, file: string, key: string, field: string): void {
  if (value !== 0 && value !== 1) throw new DataError(file, key, field, `expected 0 or 1, got ${formatValue(value)}`);
}
