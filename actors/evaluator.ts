/**
 * The evaluator actor: scores each round's models on the dev and test sets (in the trainer pool, in
 * parallel with the next round's training) and keeps the scores as data. Which round's test score
 * is reported is decided afterwards from these records (see src/engine/final-scores.ts).
 */
import type { Behaviour } from '../src/sim/actor-system.js';
import type { EvalOutcome, Message } from '../src/protocol/messages.js';
import { scoreClassification, type ClassificationScore } from '../src/metrics/index.js';

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
  numClasses: number;
}

/**
 * Builds the evaluator behaviour. Scoring runs as the pending work of its `eval/done` event (the
 * engine evaluates the specs on the dev and test sets; see src/engine/perform-work.ts).
 */
export function evaluatorBehaviour(deps: EvaluatorDeps): Behaviour<EvaluatorState> {
  return (state, msg: Message, io) => {
    switch (msg.type) {
      case 'eval/request': {
        io.sendWhen(io.self, { type: 'eval/done', round: msg.round, phase: msg.phase, specs: msg.specs }, 0, { kind: 'eval' });
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
