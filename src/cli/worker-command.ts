/**
 * `modality-mirror worker --queue redis://HOST:PORT [--concurrency N] [--data fedmultimodal:DIR|npy:DIR]`:
 * a long-running process that serves the training and evaluation tasks of `run`/`compare`/`sweep
 * --queue` (see src/queue/queue-worker.ts). It prints what it serves and each task; SIGTERM or
 * SIGINT stops it cleanly: it takes no new task, finishes the ones in hand, then exits 0.
 */
import { InvalidArgumentError, Option } from 'commander';
import { ConfigError } from '../core/errors.js';
import { parseQueueUrl } from '../queue/queue-url.js';

/** Flags of `worker`. */
export interface WorkerFlags {
  queue: string;
  concurrency: number;
  data?: string;
  lockMs?: number;
  stalledMs?: number;
  taskDelayMs?: number;
}

const count = (flag: string, min: number) => (text: string): number => {
  const n = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`${flag} = ${JSON.stringify(text)} is invalid: a decimal integer >= ${min}`);
  return n;
};

/** commander parser of `--queue`: the address as given, or a one-line refusal naming the flag and value. */
export const queueUrl = (text: string): string => {
  try {
    parseQueueUrl(text);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof ConfigError ? error.message.replace(/^command line: /, '') : String(error));
  }
  return text;
};

const dataDir = (text: string): string => {
  if (!/^(fedmultimodal|npy):.+/.test(text)) throw new InvalidArgumentError(`--data = ${JSON.stringify(text)} is invalid: fedmultimodal:<output dir> or npy:<dir>`);
  return text;
};

/** The options of `worker`. */
export function workerOptions(): Option[] {
  return [
    new Option('--queue <url>', 'the queue: redis://HOST:PORT[/DB][?name=QUEUE]').argParser(queueUrl).makeOptionMandatory(),
    new Option('--concurrency <n>', 'tasks at once (training threads of this worker)').argParser(count('--concurrency', 1)).default(1),
    new Option('--data <kind:dir>', 'where this machine holds FedMultimodal or NPY data (fedmultimodal:DIR or npy:DIR); synthetic data is regenerated').argParser(dataDir),
    new Option('--lock-ms <ms>', 'BullMQ lock duration').argParser(count('--lock-ms', 100)).hideHelp(),
    new Option('--stalled-ms <ms>', 'BullMQ stalled-job check interval').argParser(count('--stalled-ms', 100)).hideHelp(),
    new Option('--task-delay-ms <ms>', 'tests only: wait this long in every task').argParser(count('--task-delay-ms', 0)).hideHelp(),
  ];
}

/** Serves the queue until SIGTERM/SIGINT, then finishes the tasks in hand and returns. */
export async function workerCommand(flags: WorkerFlags): Promise<void> {
  const { serveQueue } = await import('../queue/queue-worker.js');
  const log = (line: string) => void process.stdout.write(`${line}\n`);
  const stop = new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  const worker = await serveQueue({
    address: parseQueueUrl(flags.queue),
    concurrency: flags.concurrency,
    data: flags.data,
    lockMs: flags.lockMs,
    stalledMs: flags.stalledMs,
    taskDelayMs: flags.taskDelayMs,
    log,
  });
  const signal = await stop;
  log(`worker ${worker.name}: ${signal}: finishing the tasks in hand, then stopping`);
  await worker.close();
  log(`worker ${worker.name} stopped`);
}
