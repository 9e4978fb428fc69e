/**
 * Modality-wise FL (ModalityMirror's phase 1 and Harmony's stage 1): every client trains the
 * unimodal model of each modality it holds; a client with both also trains the fusion head on the
 * (just updated, frozen) encoders. The server averages each module over the clients that trained it
 * (weightedAverage does exactly that: each key over the replies that carry it).
 */
import type { WeightMap } from '../core/weights.js';
import type { LocalStep, TaskPlan } from '../protocol/tasks.js';
import { supervisedStep } from './supervised-objective.js';
import type { ClientView, StrategySettings } from './strategy.js';

/** Every module of the modality-wise models. */
export const MODALITY_WISE_MODULES = ['audio', 'audioHead', 'video', 'videoHead', 'fusion'];

/** A client takes part if it holds any modality. */
export function modalityWiseEligible(client: ClientView): boolean {
  return client.hasAudio || client.hasVideo;
}

/** The client's steps: audio model, video model, then fusion head on both encoders, as its modalities allow. */
export function modalityWisePlan(global: WeightMap, client: ClientView, settings: StrategySettings): TaskPlan {
  const steps: LocalStep[] = [];
  if (client.hasAudio) steps.push(supervisedStep('audio'));
  if (client.hasVideo) steps.push(supervisedStep('video'));
  if (client.hasAudio && client.hasVideo) steps.push(supervisedStep('av', { trainModules: ['fusion'] }));
  return { weights: global, steps, hyper: settings.hyper };
}
