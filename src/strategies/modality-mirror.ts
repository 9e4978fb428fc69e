/**
 * ModalityMirror (Feng et al., arXiv 2408.15803).
 * Phase 1 `modality-wise`: modality-wise FL (see modality-wise.ts).
 * Phase 2 `distillation`: only audio-visual clients; the teacher is the phase-1 audio-visual model,
 * frozen; the student is the audio-only model initialised from phase 1, trained with
 * loss = alpha·CE(y, s) + (1-alpha)·T²·KL(softmax(t/T) ‖ softmax(s/T)); the server FedAvgs the student.
 * The method's output is the student, scored on audio alone, over phase-2 rounds.
 * Parameters: `alpha` (default 0.5), `temperature` (default 2), `lr2` (phase-2 learning rate; 0 = the run's lr).
 * Client half: phase 1 trains with the shared 'supervised' objective, phase 2 with `distill` below.
 */
import { selectModules, type WeightMap } from '../core/weights.js';
import type { Objective, ParamRule } from '../protocol/local-step.js';
import type { EvalSpec } from '../protocol/tasks.js';
import { modulesOf } from '../model/model-kinds.js';
import { MODALITY_WISE_MODULES, modalityWiseEligible, modalityWisePlan } from './modality-wise.js';
import { advanceRound, aggregateGlobal, firstPhase, type PhaseState, type Strategy } from './strategy.js';

/** ModalityMirror's state. `teacher`/`student` are set when phase 2 begins. */
export interface ModalityMirrorState extends PhaseState {
  global: WeightMap;
  teacher: WeightMap | null;
  student: WeightMap | null;
}

const PHASE_MODALITY_WISE = 0;

const ALPHA: ParamRule = { allowed: "the CE weight of ModalityMirror's distillation loss, in [0, 1]", ok: (v) => v >= 0 && v <= 1 };
const TEMPERATURE: ParamRule = { allowed: 'the distillation temperature, > 0', ok: (v) => v > 0 };

/**
 * Phase 2's local objective: the audio student learns from the frozen audio-visual teacher,
 * loss = alpha·CE(y, s) + (1 - alpha)·T²·KL(softmax(t/T) ‖ softmax(s/T)), the KL summed over
 * classes and averaged over the batch (PyTorch's 'batchmean'). The T² factor keeps the soft term's
 * gradient scale independent of T. The teacher runs in inference mode (PyTorch's teacher.eval()).
 */
export const distill: Objective = {
  name: 'distill',
  frozenModel: 'av',
  params: { alpha: ALPHA, temperature: TEMPERATURE },
  cost: 'distill',
  loss: ({ logits, labels, frozenLogits, params, ops }) => {
    const { alpha, temperature } = params;
    const hard = ops.crossEntropy(logits, labels);
    const logQ = ops.logSoftmax(ops.div(logits, temperature));
    const logP = ops.logSoftmax(ops.div(frozenLogits!, temperature));
    const kl = ops.mean(ops.sum(ops.mul(ops.exp(logP), ops.sub(logP, logQ)), 1));
    return ops.add(ops.mul(alpha, hard), ops.mul((1 - alpha) * temperature * temperature, kl));
  },
};

/** Freezes the teacher and seeds the student when the state has just entered phase 2. */
function enterDistillation(state: ModalityMirrorState): ModalityMirrorState {
  if (state.phaseIndex === PHASE_MODALITY_WISE || state.student) return state;
  return { ...state, teacher: selectModules(state.global, modulesOf('av')), student: selectModules(state.global, modulesOf('audio')) };
}

/** The ModalityMirror strategy. */
export const modalityMirror: Strategy<ModalityMirrorState> = {
  name: 'modality-mirror',
  phases: ['modality-wise', 'distillation'],
  models: ['audio', 'video', 'av'],
  headline: 'audio',
  headlinePhases: ['distillation'],
  defaults: { alpha: 0.5, temperature: 2, lr2: 0 },
  paramRules: { alpha: ALPHA, temperature: TEMPERATURE, lr2: { allowed: "ModalityMirror's phase-2 learning rate, >= 0 (0 = the run's lr)", ok: (v) => v >= 0 } },
  objectives: [distill],
  init: (initial, settings) => enterDistillation({ ...firstPhase(settings), global: selectModules(initial, MODALITY_WISE_MODULES), teacher: null, student: null }),
  eligible: (state, client) => (state.phaseIndex === PHASE_MODALITY_WISE ? modalityWiseEligible(client) : client.hasAudio && client.hasVideo),
  plan: (state, client, _round, settings) => {
    if (state.phaseIndex === PHASE_MODALITY_WISE) return modalityWisePlan(state.global, client, settings);
    const p = { ...modalityMirror.defaults, ...settings.params };
    return {
      weights: state.student!,
      steps: [{ kind: distill.name, model: 'audio', frozen: state.teacher!, params: { alpha: p.alpha, temperature: p.temperature } }],
      hyper: p.lr2 > 0 ? { ...settings.hyper, lr: p.lr2 } : settings.hyper,
    };
  },
  aggregate: (state, replies, _round, settings) => {
    if (state.phaseIndex === PHASE_MODALITY_WISE) {
      const { weights, serverMomentum, aggregationNotes } = aggregateGlobal(state, state.global, replies, settings);
      return enterDistillation({ ...advanceRound({ ...state, serverMomentum, aggregationNotes }, settings), global: weights });
    }
    const { weights, serverMomentum, aggregationNotes } = aggregateGlobal(state, state.student!, replies, settings);
    return { ...advanceRound({ ...state, serverMomentum, aggregationNotes }, settings), student: weights };
  },
  evaluate: (state): EvalSpec[] => {
    const student = state.student ?? selectModules(state.global, modulesOf('audio'));
    const teacher = state.teacher ?? selectModules(state.global, modulesOf('av'));
    return [
      { name: 'audio', model: 'audio', weights: student },
      { name: 'teacher-av', model: 'av', weights: teacher },
    ];
  },
};
