/**
 * Turns an event's pending work (plain data, see src/protocol/work.ts) into the trainer's promise:
 * a client's training plan, or the evaluation of an `eval/done` event's specs on the dev and test
 * sets. Evaluation is memoised per model name: a frozen model (the teacher in phase 2, Harmony's
 * stage-1 audio model, the model kept by a failed round) is not scored again. Both are pure
 * functions of their inputs, so the memo and a resubmission after a resume change no result.
 *
 * Work is held until the scheduler's `flush()` (it calls it before waiting on any pending work),
 * then started longest-first: training by estimated size (samples × epochs × steps), so a round's
 * longest tasks do not start last and leave workers idle at its end; evaluation after all training,
 * as it holds no clock (see src/sim/scheduler.ts) and fills the workers' idle tail of a round.
 * Training given while none of this run's work is running starts at once: holding it would only
 * leave the workers idle while the scheduler delivers the rest of the round (measured in
 * docs/performance.md). Evaluation always waits for the flush: a round's evaluation is given as the
 * round closes, just before the next round's training, and started at once it ran on every worker
 * ahead of that training (the round's critical path) instead of in its idle tail.
 * Start order changes no result: every task is a pure function of its fields.
 */
import { hashValue } from '../core/codec.js';
import type { EvalOutcome, Message } from '../protocol/messages.js';
import type { EvalSpec } from '../protocol/tasks.js';
import type { PendingWork } from '../protocol/work.js';
import type { Trainer } from '../protocol/trainer.js';
import { runPlan } from '../../actors/run-plan.js';

/** What evaluation needs: the dev and test samples and the batch size. */
export interface EvalSets {
  dev: number[];
  test: number[];
  batchSize: number;
}

/** Takes pending work (held until `flush()`); resolves with the fields it adds to its event's message. */
export interface PerformWork {
  (work: PendingWork, msg: Message): Promise<Partial<Message>>;
  /** Starts every held piece of work, longest training first, then evaluation. */
  flush(): void;
}

/** Estimated size of a piece of work, for the start order: training first, longest first. */
export function workSize(work: PendingWork): number {
  if (work.kind === 'eval') return 0;
  return 1 + work.binding.sampleIndices.length * work.plan.hyper.epochs * work.plan.steps.length;
}

/**
 * The work performer of one run. `beforeTrain` (a lazily loaded store's `ensure`) runs synchronously
 * on the samples of work bound to a client (its training) before that work is started, so the
 * features it reads are in the store first; a DataError it throws stops the run (it is the data's
 * fault, not the client's) instead of failing the task.
 */
export function createPerformer(trainer: Trainer, sets: EvalSets, beforeTrain?: (sampleIndices: readonly number[]) => void): PerformWork {
  const memo = new Map<string, { key: string; outcome: Promise<EvalOutcome> }>();
  const evaluate = (spec: EvalSpec): Promise<EvalOutcome> => {
    const key = hashValue({ model: spec.model, zeroVideo: spec.zeroVideo === true, weights: spec.weights });
    const cached = memo.get(spec.name);
    if (cached && cached.key === key) return cached.outcome;
    const task = (indices: number[]) => trainer.evaluate({ model: spec.model, weights: spec.weights, sampleIndices: indices, zeroVideo: spec.zeroVideo, batchSize: sets.batchSize });
    const outcome = Promise.all([sets.dev.length > 0 ? task(sets.dev) : Promise.resolve(null), task(sets.test)]).then(([dev, test]) => ({ name: spec.name, dev, test }));
    memo.set(spec.name, { key, outcome });
    return outcome;
  };
  const start = (work: PendingWork, msg: Message): Promise<Partial<Message>> => {
    if (work.kind === 'train') return runPlan(work.plan, work.binding, trainer).then((result) => ({ result }));
    if (msg.type !== 'eval/done') throw new Error(`eval work on a ${msg.type} event`);
    return Promise.all(msg.specs.map(evaluate)).then((result) => ({ result }));
  };
  type Held = { work: PendingWork; msg: Message; size: number; settle: (outcome: Promise<Partial<Message>>) => void };
  let held: Held[] = [];
  let running = 0;
  const begin = (item: Held) => {
    let outcome: Promise<Partial<Message>>;
    try {
      outcome = start(item.work, item.msg);
    } catch (error) {
      outcome = Promise.reject(error);
    }
    running++;
    const finished = () => void running--;
    outcome.then(finished, finished);
    item.settle(outcome);
  };
  const perform = (work: PendingWork, msg: Message) => {
    // Read a lazily loaded client's features when its work is handed over, not when it starts: a
    // DataError thrown here stops the run at this event (the data's fault, not the client's).
    if ('binding' in work) beforeTrain?.(work.binding.sampleIndices);
    return new Promise<Partial<Message>>((settle) => {
      const item = { work, msg, size: workSize(work), settle };
      // Held evaluation does not count: it would wait behind this training anyway.
      if (running === 0 && work.kind === 'train' && !held.some((h) => h.work.kind === 'train')) begin(item);
      else held.push(item);
    });
  };
  return Object.assign(perform, {
    flush: () => {
      const batch = held;
      held = [];
      // Stable: equal sizes keep their arrival order, which the scheduler's event order fixes.
      batch.sort((a, b) => b.size - a.size);
      for (const item of batch) begin(item);
    },
  });
}
