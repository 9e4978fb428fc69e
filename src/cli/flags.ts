/**
 * The options of `run` and `compare`, defined once. Every option of `run` applies to `compare`
 * except `--seed` and `--method`, which a grid replaces with `--seeds` and `--methods` (and
 * `--missing` sets the video-missing rate of each cell).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { ConfigError } from '../core/errors.js';
import type { BackendName } from '../model/backend.js';
import { DEFAULT_METHODS, STRATEGY_NAMES } from '../strategies/registry.js';
import { DEFAULT_TARGETS } from '../report/time-to-accuracy.js';
import type { ScenarioFlags } from './prepare-scenario.js';
import { nameList, numberList } from './grid-lists.js';
import { queueUrl } from './worker-command.js';

/** Flags both commands take. */
export interface CommonFlags extends ScenarioFlags {
  workers: number;
  out: string;
  backend?: BackendName;
  fakeTrainer?: boolean;
  /** Hidden: every fake training task fails with this reason (tests of runs that cannot train). */
  fakeFail?: string;
  computeDoomed?: boolean;
  /** Train on the workers of this queue (redis://HOST:PORT) instead of a local pool. */
  queue?: string;
  /** Allow work beyond the documented limits (--workers above 4 × cores, an absurd work estimate). */
  force?: boolean;
}

/** Flags of `run`. */
export interface RunFlags extends CommonFlags {
  /** Checkpoint every N closed rounds (default 1). */
  checkpointEvery?: number;
  /** Write `<out>/profile.json`: where the run's wall time went (see run-profiler.ts). */
  profile?: boolean;
}

/** Flags of `compare`. */
export interface CompareFlags extends CommonFlags {
  methods: string;
  missing: number[];
  seeds: number[];
  /** Grid cells run at once on the one pool (default 1). */
  concurrency?: number;
  /** Write `<out>/profile.json` for the whole grid (see grid-profile.ts). */
  profile?: boolean;
  /** Accuracy targets of the time-to-accuracy table (virtual time until the headline test accuracy first reaches each). */
  targets?: number[];
}

/** Decimal digits only: `""`, `" 3"`, `0x10`, `1e3` and `-1` are refused, never read as numbers. */
const integer = (flag: string, min: number, max = Number.MAX_SAFE_INTEGER) => (text: string): number => {
  const n = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${flag} = ${JSON.stringify(text)} is invalid: a decimal integer from ${min} to ${max}`);
  return n;
};
const positive = (flag: string) => (text: string): number => {
  const n = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`${flag} = ${JSON.stringify(text)} is invalid: a decimal number > 0`);
  return n;
};
/** `values` unless two are equal (`0.5,0.50` names one rate twice). */
const distinct = (flag: string, text: string, values: number[]): number[] => {
  if (new Set(values).size !== values.length) throw new ConfigError('command line', flag, text, 'distinct values (one is given twice)');
  return values;
};
const collect = (value: string, previous: string[] = []) => [...previous, value];
/** The options `run` and `compare` share (`--out` defaults differ). */
export function commonOptions(outDefault: string): Option[] {
  return [
    new Option('--workers <n>', 'training worker threads (0 = main thread; at most 4 × cores unless --force)').argParser(integer('--workers', 0)).default(2),
    new Option('--rounds <n>', 'rounds (per phase for two-phase methods unless --budget equal)').argParser(integer('--rounds', 1)),
    new Option('--out <dir>', 'output folder (checked before training: a writable directory on a real file system)').default(outDefault),
    new Option('--backend <name>', 'tfjs backend (default: tensorflow, else wasm, else cpu)').choices(['tensorflow', 'wasm', 'cpu']),
    new Option('--budget <mode>', 'rounds of two-phase methods: per-phase or equal').choices(['per-phase', 'equal']),
    new Option('--set <key=value>', 'override a parameter (repeatable), e.g. --set lr=0.01').argParser(collect),
    new Option('--data <source>', "data instead of the scenario's: fedmultimodal:<output dir> or npy:<dir>"),
    new Option('--dataset <name>', 'FedMultimodal dataset folder name (e.g. ucf101)'),
    new Option('--alpha <a>', 'Dirichlet alpha of the FedMultimodal partition (e.g. 0.1)').argParser(positive('--alpha')),
    new Option('--fold <f>', 'FedMultimodal fold').argParser(integer('--fold', 1)),
    new Option('--missing-file <path>', 'FedMultimodal simulation JSON (mm{R}_alpha{A}.json), absolute or relative to the output dir'),
    new Option('--fake-trainer', 'deterministic fake trainer instead of tfjs (protocol studies)'),
    new Option('--compute-doomed', 'also compute updates the virtual clock already dooms'),
    new Option('--queue <url>', 'train on `modality-mirror worker` processes through Redis (redis://HOST:PORT) instead of a local pool').argParser(queueUrl),
    new Option('--force', 'allow work beyond the limits: --workers above 4 × cores, estimated work or model memory above the bound'),
    new Option('--fake-fail <reason>', 'every fake training task fails with this reason').hideHelp(),
  ];
}

/** Options of `run` only. */
export function runOnlyOptions(): Option[] {
  return [
    new Option('--seed <n>', 'root seed').argParser(integer('--seed', 0)),
    new Option('--checkpoint-every <n>', 'write a checkpoint every N closed rounds (default 1); `modality-mirror resume DIR` continues a stopped run').argParser(integer('--checkpoint-every', 1)),
    new Option('--method <name>', 'algorithm (overrides the scenario)').choices(STRATEGY_NAMES),
    new Option('--profile', 'write profile.json in the run folder: worker time by task kind, idle time, aggregation, scheduler and trace (never changes results)'),
  ];
}

/** Options of every grid command (compare, sweep). */
export function gridOptions(): Option[] {
  return [
    new Option('--concurrency <k>', 'grid cells run at once on the one worker pool (results identical to 1)').argParser(integer('--concurrency', 1, 64)).default(1),
    new Option('--profile', 'write profile.json in the output folder: worker time by task kind, idle time and a task timeline over the whole grid (never changes results)'),
  ];
}

/** Options of `compare` only. */
export function compareOnlyOptions(): Option[] {
  return [
    ...gridOptions(),
    // Each list: no empty or repeated entries, decimal numbers only (`--seeds 1,,2` never adds a seed 0).
    new Option('--methods <list>', `comma-separated methods, of ${STRATEGY_NAMES.join(', ')}`).argParser((text: string) => nameList('--methods', text, STRATEGY_NAMES).join(',')).default(DEFAULT_METHODS.join(',')),
    new Option('--missing <list>', 'comma-separated video-missing rates').argParser((text: string) => distinct('--missing', text, numberList('--missing', text, { min: 0, max: 1 }))).default([0.5]),
    new Option('--seeds <list>', 'comma-separated seeds').argParser((text: string) => distinct('--seeds', text, numberList('--seeds', text, { min: 0, integer: true }))).default([1]),
    new Option('--targets <list>', 'accuracy targets: virtual time until the headline test accuracy first reaches each').argParser((text: string) => distinct('--targets', text, numberList('--targets', text, { min: 0, max: 1 }))).default([...DEFAULT_TARGETS]),
  ];
}

/** Adds options to a command. */
export function withOptions(command: Command, ...groups: Option[][]): Command {
  for (const option of groups.flat()) command.addOption(option);
  return command;
}
