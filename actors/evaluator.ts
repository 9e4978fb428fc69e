/**
 * The evaluator actor: scores each round's models on the dev and test sets (in the trainer pool, in
 * parallel with the next round's training) and keeps the scores as data. Which round's test score
 * is reported is decided afterwards from these records (see src/metrics/best-dev.ts).
 */
import type { Behaviour } from '../src/sim/actor-system.js';
import type { EvalOutcome, Message } from '../src/protocol/messages.js';
import { scoreClassification, type ClassificationScore } from '../src/metrics/index.js';
import type { Trainer } from '../src/train/types.js';
import type { EvalSpec } from '../src/protocol/tasks.js';
import { hashValue } from '../src/core/codec.js';

/** Scores of one model after one round. */
export interface ModelScores {
  dev: ClassificationScore | null;
  test: ClassificationScore;
}

/** Scores of every model after one round. */
export interface EvalRecord {
  round: number;
  phase: string;
  atMs: number;
  scores: Record<string, ModelScores>;
}

/** The evaluator's state: plain data. */
export interface EvaluatorState {
  records: EvalRecord[];
  ended: boolean;
}

/** What the evaluator needs besides its state. */
export interface EvaluatorDeps {
  trainer: Trainer;
  dev: number[];
  test: number[];
  numClasses: number;
  batchSize: number;
}

/** Builds the evaluator behaviour. */
export function evaluatorBehaviour(deps: EvaluatorDeps): Behaviour<EvaluatorState> {
  // Memo of the last evaluation per model name: a frozen model (the teacher in phase 2, Harmony's
  // stage-1 audio model, the model kept by a failed round) is not scored again. Evaluation is a pure
  // function of the weights, so this changes no result, only the work.
  const memo = new Map<string, { key: string; outcome: Promise<EvalOutcome> }>();
  const evaluate = (spec: EvalSpec): Promise<EvalOutcome> => {
    const key = hashValue({ model: spec.model, zeroVideo: spec.zeroVideo === true, weights: spec.weights });
    const cached = memo.get(spec.name);
    if (cached && cached.key === key) return cached.outcome;
    const task = (indices: number[]) => deps.trainer.evaluate({ model: spec.model, weights: spec.weights, sampleIndices: indices, zeroVideo: spec.zeroVideo, batchSize: deps.batchSize });
    const outcome = Promise.all([deps.dev.length > 0 ? task(deps.dev) : Promise.resolve(null), task(deps.test)]).then(([dev, test]) => ({ name: spec.name, dev, test }));
    memo.set(spec.name, { key, outcome });
    return outcome;
  };
  return (state, msg: Message, io) => {
    switch (msg.type) {
      case 'eval/request': {
        const pending = Promise.all(msg.specs.map(evaluate)).then((result) => ({ result }));
        io.sendWhen(io.self, { type: 'eval/done', round: msg.round, phase: msg.phase, specs: msg.specs }, 0, pending);
        return state;
      }
      case 'eval/done': {
        if (msg.error !== undefined || !msg.result) throw new Error(`evaluation of round ${msg.round} failed: ${msg.error ?? 'no result'}`);
        const scores: Record<string, ModelScores> = {};
        for (const outcome of msg.result) {
          scores[outcome.name] = {
            dev: outcome.dev ? scoreClassification(outcome.dev.predictions, outcome.dev.labels, deps.numClasses) : null,
            test: scoreClassification(outcome.test.predictions, outcome.test.labels, deps.numClasses),
          };
        }
        return { ...state, records: [...state.records, { round: msg.round, phase: msg.phase, atMs: io.now, scores }] };
      }
      case 'run/end':
        return { ...state, ended: true };
      default:
        throw new Error(`evaluator cannot handle message ${msg.type}`);
    }
  };
}
