/**
 * Faults a pool worker can be told to inject (tests of what the pool does when a worker breaks):
 * a training task whose seed contains `match` throws, exits the worker thread, fills the worker's
 * heap until it runs out of memory, or "poisons" the worker (fails, and every later task in the same
 * worker fails as a wasm heap corrupted by an out-of-memory task does). A shared counter makes the
 * first `times` matching tasks fail, whichever worker runs them. A start-backend plan makes the
 * first workers start other backends than the rest (how the tests make workers disagree).
 */
import type { BackendName } from '../model/backend.js';
import type { WorkerRequest } from './worker-protocol.js';

/** How an injected fault breaks the worker. */
export type WorkerFaultMode = 'throw' | 'exit' | 'oom' | 'poison';

/** What to inject, shared by every worker of a pool (through workerData). */
export interface WorkerFaultPlan {
  /** Substring of the training task's seed (`root/train/client/round/step`). */
  match: string;
  mode: WorkerFaultMode;
  /** How many matching tasks fail before the rest pass. */
  times: number;
  /** [matching tasks seen so far], shared across workers. */
  counter: Int32Array;
}

/** A fault plan with a fresh shared counter. */
export function workerFaultPlan(match: string, mode: WorkerFaultMode, times: number): WorkerFaultPlan {
  return { match, mode, times, counter: new Int32Array(new SharedArrayBuffer(4)) };
}

/** Backends the first pool workers start, in the order they start, whatever was asked (tests only). */
export interface StartBackendPlan {
  names: BackendName[];
  /** [workers started so far], shared across workers. */
  counter: Int32Array;
}

/** A start-backend plan with a fresh shared counter. */
export function startBackendPlan(names: BackendName[]): StartBackendPlan {
  return { names, counter: new Int32Array(new SharedArrayBuffer(4)) };
}

/** The backend this worker starts: the plan's next name, else `asked` (undefined: the first that starts). */
export function startBackendOf(plan: StartBackendPlan | undefined, asked: BackendName | undefined): BackendName | undefined {
  if (!plan) return asked;
  return plan.names[Atomics.add(plan.counter, 0, 1)] ?? asked;
}

let poisoned = false;

/** Injects the first planned fault `request` matches; throws as a poisoned worker would after one. */
export function injectFault(plans: readonly WorkerFaultPlan[] | undefined, request: WorkerRequest): void {
  if (poisoned) throw new RangeError('offset is out of bounds (this worker was poisoned by an earlier task)');
  if (request.op !== 'train') return;
  const plan = plans?.find((p) => request.task.seed.includes(p.match));
  if (!plan || Atomics.add(plan.counter, 0, 1) >= plan.times) return;
  switch (plan.mode) {
    case 'throw':
      throw new Error(`injected worker fault in task ${request.task.seed}`);
    case 'exit':
      process.exit(7);
      break;
    case 'oom': {
      const hog: number[][] = [];
      for (;;) hog.push(Array.from({ length: 1 << 16 }, (_, i) => i + hog.length));
    }
    case 'poison':
      poisoned = true;
      throw new Error(`injected worker fault in task ${request.task.seed}: the worker is poisoned`);
  }
}
