/**
 * Harmony (Ouyang et al., MobiSys 2023), as DESIGN.md describes it.
 * Stage 1 `modality-wise`: modality-wise FL (see modality-wise.ts).
 * Stage 2 `fusion`: audio-visual clients load the stage-1 encoders (or their own fine-tuned ones,
 * which stay local), train fusion + classifier and fine-tune the encoders. Only the fusion module is
 * averaged, within clusters of clients grouped by modality bias: each client's relative drift of its
 * audio and video encoders in the round (from the encoders it started the round with: its last
 * update's, or the stage-1 ones the first time), clustered by seeded k-means (parameter `clusters`,
 * default 2). Each client then continues from its cluster's fusion. Stage 1's per-modality mean is
 * sample-weighted, as every FedAvg here.
 * Its audio-only score is the stage-1 audio model (stage 2 never changes the audio path it is scored on).
 */
import { rng } from '../core/seed-streams.js';
import { selectModules, type WeightMap } from '../core/weights.js';
import { modulesOf } from '../model/model-kinds.js';
import type { EvalSpec } from '../protocol/tasks.js';
import { aggregate, type AggregationNote } from './aggregators/index.js';
import { kmeans } from './kmeans.js';
import { supervisedStep } from './supervised-objective.js';
import { MODALITY_WISE_MODULES, modalityWiseEligible, modalityWisePlan } from './modality-wise.js';
import { advanceRound, aggregateGlobal, firstPhase, type PhaseState, type Strategy, type UpdateReply } from './strategy.js';

/** Harmony's state. */
export interface HarmonyState extends PhaseState {
  /** Stage-1 global model (frozen once stage 2 starts). */
  global: WeightMap;
  /** Average fusion over every stage-2 update so far (for the audio-visual score). */
  globalFusion: WeightMap;
  /** Each client's fusion: its cluster's average from the last round it took part in. */
  clientFusion: Record<string, WeightMap>;
  /** Cluster of each client in the latest stage-2 round (for reports and tests). */
  lastClusters: Record<string, number>;
  /** Each client's encoders as of its last stage-2 update: where its next round starts. */
  clientEncoders: Record<string, WeightMap>;
}

const STAGE_MODALITY_WISE = 0;

/** Relative L2 drift of a reply's module from the reference weights. */
export function moduleDrift(reference: WeightMap, update: WeightMap, module: string): number {
  let diff = 0;
  let norm = 0;
  for (const key of Object.keys(reference)) {
    if (!key.startsWith(`${module}.`) || !update[key]) continue;
    const r = reference[key];
    const u = update[key];
    for (let i = 0; i < r.length; i++) (diff += (u[i] - r[i]) ** 2), (norm += r[i] * r[i]);
  }
  return norm > 0 ? Math.sqrt(diff / norm) : Math.sqrt(diff);
}

/** Groups replies by modality bias: each client's (audio drift, video drift) from where it started. */
export function clusterByModalityBias(startOf: (clientId: string) => WeightMap, replies: UpdateReply[], k: number, seed: number, round: number): number[] {
  const features = replies.map((r) => [moduleDrift(startOf(r.clientId), r.weights, 'audio'), moduleDrift(startOf(r.clientId), r.weights, 'video')]);
  return kmeans(features, k, rng(seed, 'harmony-clusters', round));
}

/** The Harmony strategy. */
export const harmony: Strategy<HarmonyState> = {
  name: 'harmony',
  phases: ['modality-wise', 'fusion'],
  models: ['audio', 'video', 'av'],
  headline: 'audio',
  headlinePhases: ['modality-wise'],
  defaults: { clusters: 2 },
  paramRules: { clusters: { allowed: "Harmony's number of clusters, an integer >= 1", ok: (v) => Number.isInteger(v) && v >= 1 } },
  init: (initial, settings) => {
    const global = selectModules(initial, MODALITY_WISE_MODULES);
    return { ...firstPhase(settings), global, globalFusion: selectModules(global, ['fusion']), clientFusion: {}, lastClusters: {}, clientEncoders: {} };
  },
  eligible: (state, client) => (state.phaseIndex === STAGE_MODALITY_WISE ? modalityWiseEligible(client) : client.hasAudio && client.hasVideo),
  plan: (state, client, _round, settings) => {
    if (state.phaseIndex === STAGE_MODALITY_WISE) return modalityWisePlan(state.global, client, settings);
    const fusion = state.clientFusion[client.id] ?? state.globalFusion;
    return {
      weights: { ...selectModules(state.global, ['audio', 'video']), ...fusion },
      steps: [supervisedStep('av')],
      hyper: settings.hyper,
      keepLocal: ['audio', 'video'],
    };
  },
  aggregate: (state, replies, round, settings) => {
    if (state.phaseIndex === STAGE_MODALITY_WISE) {
      const { weights: global, serverMomentum, aggregationNotes } = aggregateGlobal(state, state.global, replies, settings);
      return { ...advanceRound({ ...state, serverMomentum, aggregationNotes }, settings), global, globalFusion: selectModules(global, ['fusion']) };
    }
    // Stage 2 averages fusion per cluster with plain means: Harmony's own rule, no server optimiser.
    const next = advanceRound(state, settings);
    const k = settings.params.clusters ?? harmony.defaults.clusters;
    const labels = clusterByModalityBias((id) => state.clientEncoders[id] ?? state.global, replies, k, settings.seed, round);
    const clientEncoders = { ...state.clientEncoders };
    for (const reply of replies) clientEncoders[reply.clientId] = selectModules(reply.weights, ['audio', 'video']);
    const clientFusion = { ...state.clientFusion };
    const lastClusters: Record<string, number> = {};
    const notes: AggregationNote[] = [];
    const average = (members: UpdateReply[]) => {
      const result = aggregate(settings.aggregator, state.globalFusion, members, ['fusion']);
      notes.push(...result.notes);
      return result.weights;
    };
    for (const cluster of new Set(labels)) {
      const members = replies.filter((_, i) => labels[i] === cluster);
      const fusion = average(members);
      for (const member of members) (clientFusion[member.clientId] = fusion), (lastClusters[member.clientId] = cluster);
    }
    const globalFusion = average(replies);
    return { ...next, clientFusion, lastClusters, clientEncoders, globalFusion, aggregationNotes: notes.length > 0 ? notes : undefined };
  },
  evaluate: (state): EvalSpec[] => [
    { name: 'audio', model: 'audio', weights: selectModules(state.global, modulesOf('audio')) },
    { name: 'av', model: 'av', weights: { ...selectModules(state.global, ['audio', 'video']), ...state.globalFusion } },
  ],
};
