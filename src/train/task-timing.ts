/**
 * Per-task compute time, for profiles only (`modality-mirror run --profile`): the thread that runs a
 * request (a pool worker, or the main thread for the inline trainer) posts what it was and how long it
 * took on a BroadcastChannel; a profiler on the main thread listens. Nothing here feeds a result:
 * a timing is never read by the engine, so profiling cannot change a hash.
 */
import { BroadcastChannel } from 'node:worker_threads';
import type { WorkerRequest } from './worker-protocol.js';

/** The channel's name (one per process; every worker thread of the process shares it). */
export const TASK_TIMING_CHANNEL = 'modality-mirror:task-timing';

/** One request's compute time on the thread that ran it. */
export interface TaskTiming {
  /** What the request was: a profile sums its compute by this, whatever the objective. */
  op: Exclude<WorkerRequest['op'], 'ready'>;
  /** `train:<model>`, another objective's name (`distill`, `fedprox`), `evaluate:<model>`, `init` (see taskLabel). */
  label: string;
  ms: number;
  /** The worker thread's id (0 = main thread). */
  thread: number;
  /** When it ended, in ms since the Unix epoch (`performance.timeOrigin + now()`, comparable across threads). */
  endedAt: number;
}

/** What a request was, in a profile's words: 'train:audio', 'train:av[fusion]', 'distill', 'fedprox', 'evaluate:audio', … */
export function taskLabel(request: WorkerRequest): string {
  // Supervised steps are told apart by model and trained modules; any other objective by its name.
  if (request.op === 'train') return request.task.kind === 'supervised' ? `train:${request.task.model}${request.task.trainModules ? `[${request.task.trainModules.join(',')}]` : ''}` : request.task.kind;
  if (request.op === 'evaluate') return `evaluate:${request.task.model}`;
  return request.op;
}

let channel: BroadcastChannel | null = null;

/** Posts a finished request's compute time (cheap: one small message; nobody need listen). */
export function postTaskTiming(request: WorkerRequest, ms: number, thread: number): void {
  if (request.op === 'ready') return;
  if (channel === null) {
    channel = new BroadcastChannel(TASK_TIMING_CHANNEL);
    channel.unref(); // never keeps a worker (or the process) alive
  }
  channel.postMessage({ op: request.op, label: taskLabel(request), ms, thread, endedAt: performance.timeOrigin + performance.now() } satisfies TaskTiming);
}

/** Listens to every thread's task timings; returns a function that stops listening. */
export function listenTaskTimings(onTiming: (timing: TaskTiming) => void): () => void {
  const listener = new BroadcastChannel(TASK_TIMING_CHANNEL);
  listener.onmessage = (event) => onTiming((event as { data: TaskTiming }).data);
  return () => listener.close();
}
