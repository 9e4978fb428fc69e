/**
 * Turns an event's pending work (plain data, see src/protocol/work.ts) into the trainer's promise:
 * a client's training plan, or the evaluation of an `eval/done` event's specs on the dev and test
 * sets. Evaluation is memoised per model name: a frozen model (the teacher in phase 2, Harmony's
 * stage-1 audio model, the model kept by a failed round) is not scored again. Both are pure
 * functions of their inputs, so the memo and a resubmission after a resume change no result.
 */
import { hashValue } from '../core/codec.js';
import type { EvalOutcome, Message } from '../protocol/messages.js';
import type { EvalSpec } from '../protocol/tasks.js';
import type { PendingWork } from '../protocol/work.js';
import type { Trainer } from '../train/types.js';
import { runPlan } from '../../actors/run-plan.js';

/** What evaluation needs: the dev and test samples and the batch size. */
export interface EvalSets {
  dev: number[];
  test: number[];
  batchSize: number;
}

/** Starts pending work; resolves with the fields it adds to its event's message. */
export type PerformWork = (work: PendingWork, msg: Message) => Promise<Partial<Message>>;

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
  return (work, msg) => {
    // Any work bound to a client's samples (training today; other kinds that carry a binding too).
    const bound = (work as { binding?: { sampleIndices?: readonly number[] } }).binding?.sampleIndices;
    if (bound) beforeTrain?.(bound);
    if (work.kind === 'train') return runPlan(work.plan, work.binding, trainer).then((result) => ({ result }));
    if (msg.type !== 'eval/done') throw new Error(`eval work on a ${msg.type} event`);
    return Promise.all(msg.specs.map(evaluate)).then((result) => ({ result }));
  };
}
