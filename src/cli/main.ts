/**
 * The command line: parse → validate → engine. Bad arguments or input exit with code 2 and one
 * message naming the field and the value; a crash exits 1 with the trace tail.
 */
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ConfigError, DataError } from '../core/errors.js';
import { STRATEGY_NAMES } from '../strategies/registry.js';

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
const backendOption = () => new Option('--backend <name>', 'tfjs backend (default: tensorflow, else wasm, else cpu)').choices(['tensorflow', 'wasm', 'cpu']);

const program = new Command()
  .name('modality-mirror')
  .description('Deterministic simulation of federated learning under modality heterogeneity')
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });

/** Options `run` and `compare` share: seeds, workers, rounds, backend, overrides, data source, trainer. */
function withRunOptions(command: Command, outDefault: string): Command {
  return command
    .option('--workers <n>', 'training worker threads (0 = main thread)', integer('--workers', 0), 2)
    .option('--rounds <n>', 'rounds (per phase for two-phase methods unless --budget equal)', integer('--rounds', 1))
    .option('--out <dir>', 'output folder', outDefault)
    .addOption(backendOption())
    .addOption(new Option('--budget <mode>', 'rounds of two-phase methods: per-phase or equal').choices(['per-phase', 'equal']))
    .option('--set <key=value>', 'override a parameter (repeatable), e.g. --set lr=0.01', collect)
    .option('--data <source>', "data instead of the scenario's: fedmultimodal:<output dir> or npy:<dir>")
    .option('--dataset <name>', 'FedMultimodal dataset folder name (e.g. ucf101)')
    .option('--alpha <a>', 'Dirichlet alpha of the FedMultimodal partition (e.g. 0.1)', positive('--alpha'))
    .option('--fold <f>', 'FedMultimodal fold', integer('--fold', 1))
    .option('--missing-file <path>', 'FedMultimodal simulation JSON (mm{R}_alpha{A}.json), absolute or relative to the output dir')
    .option('--fake-trainer', 'deterministic fake trainer instead of tfjs (protocol studies)');
}

withRunOptions(
  program
    .command('run')
    .description('run one scenario')
    .argument('<scenario>', 'scenario file (see `modality-mirror list`)')
    .option('--seed <n>', 'root seed', integer('--seed', 0))
    .addOption(new Option('--method <name>', 'algorithm (overrides the scenario)').choices(STRATEGY_NAMES))
    .option('--compute-doomed', 'also compute updates the virtual clock already dooms'),
  'runs/latest',
).action(async (scenario: string, flags) => {
  // Commands load lazily: tfjs and echarts take seconds to import and `list` needs neither.
  const { runCommand } = await import('./run-command.js');
  await runCommand(scenario, flags);
});

withRunOptions(
  program
    .command('compare')
    .description('run a grid of methods × video-missing rates × seeds and write compare.json, charts and an HTML report')
    .argument('<scenario>', 'scenario file')
    .option('--methods <list>', 'comma-separated methods', STRATEGY_NAMES.join(','))
    .option('--missing <list>', 'comma-separated video-missing rates', numberList('--missing'), [0.5])
    .option('--seeds <list>', 'comma-separated seeds', numberList('--seeds'), [1]),
  'runs/compare',
).action(async (scenario: string, flags) => {
  const { compareCommand } = await import('./compare-command.js');
  await compareCommand(scenario, flags);
});

program
  .command('list')
  .description('list the shipped scenarios')
  .option('--dir <dir>', 'scenario folder', fileURLToPath(new URL('../../scenarios', import.meta.url)))
  .action(async (flags: { dir: string }) => {
    const { listCommand } = await import('./list-command.js');
    process.stdout.write(`${await listCommand(flags.dir)}\n`);
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof ConfigError || error instanceof DataError) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
}
