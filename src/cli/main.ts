/**
 * The command line: parse → validate → engine. Bad arguments or input exit with code 2 and one
 * message naming the field and the value; a run that cannot train exits 1 with the reason, the
 * round and the method; a crash exits 1 with the trace tail.
 */
import { packageVersion } from '../core/package-version.js';
import { Command, CommanderError } from 'commander';
import { ConfigError, DataError } from '../core/errors.js';
import { TrainingFailedError } from '../engine/run-failure.js';
import { commonOptions, compareOnlyOptions, runOnlyOptions, withOptions, type CompareFlags, type RunFlags, gridOptions } from './flags.js';
import { SHIPPED_SCENARIOS } from './load-scenario-module.js';
import { checkFlagLimits } from './check-limits.js';
import { CliExit } from './cli-exit.js';
import { OutputWriteError } from '../engine/atomic-write.js';
import type { SweepFlags } from './sweep-command.js';
import { DEFAULT_METHODS, STRATEGY_NAMES } from '../strategies/registry.js';
import { QueueTaskError, QueueUnavailableError } from '../queue/queue-errors.js';
import { workerOptions, type WorkerFlags } from './worker-command.js';


const program = new Command()
  .name('modality-mirror')
  .description('Deterministic simulation of federated learning under modality heterogeneity')
  .version(packageVersion(), '-V, --version', 'print the version')
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) })
  // Limits that need more than one flag (--workers with --force) are checked before any command runs.
  .hook('preAction', (_program, command) => checkFlagLimits(command.opts()));

withOptions(
  program
    .command('run')
    .description('run one scenario')
    .argument('<scenario>', 'scenario file, or the name of a shipped one (see `modality-mirror list`)'),
  runOnlyOptions(),
  commonOptions('runs/latest'),
).action(async (scenario: string, flags: RunFlags) => {
  // Commands load lazily: tfjs and echarts take seconds to import and `list` needs neither.
  const { runCommand } = await import('./run-command.js');
  await runCommand(scenario, flags);
});

program
  .command('resume')
  .description('continue a run that was killed or interrupted, from the checkpoint in DIR/checkpoint/ (same traceHash and weightsHash as a run never stopped)')
  .argument('<dir>', 'the run folder (--out of the run)')
  .addOption(commonOptions('').find((o) => o.long === '--workers')!.default(undefined))
  .option('--force', 'allow --workers above 4 × cores')
  .action(async (dir: string, flags: { workers?: number; force?: boolean }) => {
    const { resumeCommand } = await import('./resume-command.js');
    await resumeCommand(dir, flags);
  });

withOptions(
  program
    .command('compare')
    .description('run a grid of methods × video-missing rates × seeds and write compare.json, charts and an HTML report; takes every option of `run` but --seed and --method')
    .argument('<scenario>', 'scenario file, or the name of a shipped one'),
  compareOnlyOptions(),
  commonOptions('runs/compare'),
).action(async (scenario: string, flags: CompareFlags) => {
  const { compareCommand } = await import('./compare-command.js');
  await compareCommand(scenario, flags, packageVersion());
});

withOptions(
  program
    .command('sweep')
    .description('run every combination of --vary values × methods × seeds (× missing rates) on one pool; reuses finished cells; writes sweep.json, charts and report.html')
    .argument('<scenario>', 'scenario file, or the name of a shipped one')
    .option('--vary <PATH=v1,v2,...>', 'a field and its values (repeatable); PATH as for --set, e.g. dropout.target.rate=0,0.3,0.6', (v: string, prev: string[] = []) => [...prev, v])
    .option('--methods <list>', `comma-separated methods, of ${STRATEGY_NAMES.join(', ')}`, DEFAULT_METHODS.join(','))
    .option('--seeds <list>', 'comma-separated seeds', '1')
    .option('--missing <list>', "comma-separated video-missing rates (default: the scenario's)"),
  gridOptions(),
  commonOptions('runs/sweep'),
).action(async (scenario: string, flags: SweepFlags) => {
  const { sweepCommand } = await import('./sweep-command.js');
  await sweepCommand(scenario, flags, packageVersion());
});

withOptions(
  program.command('worker').description('serve the training tasks of run/compare/sweep --queue from Redis until SIGTERM (finishes the tasks in hand)'),
  workerOptions(),
).action(async (flags: WorkerFlags) => {
  const { workerCommand } = await import('./worker-command.js');
  await workerCommand(flags);
});

program
  .command('list')
  .description('list the shipped scenarios')
  .option('--dir <dir>', 'scenario folder', SHIPPED_SCENARIOS)
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
  } else if (error instanceof CliExit) {
    if (error.message) process.stderr.write(`${error.message}\n`);
    process.exitCode = error.exitCode;
  } else if (error instanceof TrainingFailedError || error instanceof OutputWriteError || error instanceof QueueUnavailableError || error instanceof QueueTaskError) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
}
