/**
 * The options of `run` and `compare`, defined once. Every option of `run` applies to `compare`
 * except `--seed` and `--method`, which a grid replaces with `--seeds` and `--methods` (and
 * `--missing` sets the video-missing rate of each cell).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { BackendName } from '../model/backend.js';
import { STRATEGY_NAMES } from '../strategies/registry.js';
import type { ScenarioFlags } from './prepare-scenario.js';

/** Flags both commands take. */
export interface CommonFlags extends ScenarioFlags {
  workers: number;
  out: string;
  backend?: BackendName;
  fakeTrainer?: boolean;
  /** Hidden: every fake training task fails with this reason (tests of runs that cannot train). */
  fakeFail?: string;
  computeDoomed?: boolean;
}

/** Flags of `run`. */
export type RunFlags = CommonFlags;

/** Flags of `compare`. */
export interface CompareFlags extends CommonFlags {
  methods: string;
  missing: number[];
  seeds: number[];
}

const integer = (flag: string, min: number) => (text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${flag} = ${JSON.stringify(text)} is invalid: an integer >= ${min}`);
  return n;
};
const positive = (flag: string) => (text: string): number => {
  const n = Number(text);
  if (!(n > 0)) throw new InvalidArgumentError(`${flag} = ${JSON.stringify(text)} is invalid: a number > 0`);
  return n;
};
const collect = (value: string, previous: string[] = []) => [...previous, value];
const numberList = (flag: string) => (text: string): number[] => {
  const values = text.split(',').map((t) => Number(t.trim()));
  if (values.some((v) => !Number.isFinite(v))) throw new InvalidArgumentError(`${flag} = ${JSON.stringify(text)} is invalid: comma-separated numbers`);
  return values;
};

/** The options `run` and `compare` share (`--out` defaults differ). */
export function commonOptions(outDefault: string): Option[] {
  return [
    new Option('--workers <n>', 'training worker threads (0 = main thread)').argParser(integer('--workers', 0)).default(2),
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
    new Option('--fake-fail <reason>', 'every fake training task fails with this reason').hideHelp(),
  ];
}

/** Options of `run` only. */
export function runOnlyOptions(): Option[] {
  return [
    new Option('--seed <n>', 'root seed').argParser(integer('--seed', 0)),
    new Option('--method <name>', 'algorithm (overrides the scenario)').choices(STRATEGY_NAMES),
  ];
}

/** Options of `compare` only. */
export function compareOnlyOptions(): Option[] {
  return [
    new Option('--methods <list>', 'comma-separated methods').default(STRATEGY_NAMES.join(',')),
    new Option('--missing <list>', 'comma-separated video-missing rates').argParser(numberList('--missing')).default([0.5]),
    new Option('--seeds <list>', 'comma-separated seeds').argParser(numberList('--seeds')).default([1]),
  ];
}

/** Adds options to a command. */
export function withOptions(command: Command, ...groups: Option[][]): Command {
  for (const option of groups.flat()) command.addOption(option);
  return command;
}
