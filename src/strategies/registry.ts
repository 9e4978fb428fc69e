/**
 * Every algorithm by name: adding one is one file (server and client half) plus one line here.
 * The local objectives its plans name are collected from the files, so workers find them by name.
 */
import type { Objective } from '../protocol/local-step.js';
import { fedbuff } from './fedbuff.js';
import { fedprox } from './fedprox.js';
import { harmony } from './harmony.js';
import { modalityMirror } from './modality-mirror.js';
import { multifl } from './multifl.js';
import type { PhaseState, Strategy } from './strategy.js';
import { supervised } from './supervised-objective.js';
import { unifl } from './unifl.js';

/** Registered strategies by name. */
export const STRATEGIES: Record<string, Strategy<PhaseState>> = {
  unifl: unifl as unknown as Strategy<PhaseState>,
  multifl: multifl as unknown as Strategy<PhaseState>,
  harmony: harmony as unknown as Strategy<PhaseState>,
  'modality-mirror': modalityMirror as unknown as Strategy<PhaseState>,
  fedbuff: fedbuff as unknown as Strategy<PhaseState>,
  fedprox: fedprox as unknown as Strategy<PhaseState>,
};

/** Names of the registered strategies. */
export const STRATEGY_NAMES = Object.keys(STRATEGIES);

/**
 * What `compare` and `sweep` run when `--methods` is not given: the paper's comparison
 * (ModalityMirror and its three baselines), so the README's figures rerun with the defaults.
 */
export const DEFAULT_METHODS: readonly string[] = ['unifl', 'multifl', 'harmony', 'modality-mirror'];

/** Every local objective by name: the shared 'supervised' one and each strategy's own. */
export const OBJECTIVES: Readonly<Record<string, Objective>> = collectObjectives([supervised, ...Object.values(STRATEGIES).flatMap((s) => s.objectives ?? [])]);

/** Objectives by name; two different objectives under one name are a programming error. */
function collectObjectives(list: readonly Objective[]): Record<string, Objective> {
  const out: Record<string, Objective> = {};
  for (const objective of list) {
    const known = out[objective.name];
    if (known !== undefined && known !== objective) throw new Error(`two local objectives are registered as '${objective.name}'`);
    out[objective.name] = objective;
  }
  return out;
}

/** The objective a step or task names; throws naming the unknown name and the known ones. */
export function objectiveNamed(name: string): Objective {
  const objective = Object.prototype.hasOwnProperty.call(OBJECTIVES, name) ? OBJECTIVES[name] : undefined;
  if (objective === undefined) throw new Error(`unknown local objective ${JSON.stringify(name)}; registered: ${Object.keys(OBJECTIVES).join(', ')}`);
  return objective;
}
