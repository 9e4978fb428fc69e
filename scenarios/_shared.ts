/**
 * Data, model and training settings the shipped scenarios share (not a scenario itself: files
 * starting with `_` are skipped by `modality-mirror list`).
 */
import type { ScenarioInput } from '../src/scenario/schema.js';

/** The small synthetic audio-visual set: 10 classes × 200 clips, 20 Dirichlet(0.5) clients. */
export const SMALL_SYNTHETIC: ScenarioInput['data'] = { kind: 'synthetic', seed: 1, numClasses: 10, samplesPerClass: 200, numClients: 20, alpha: 0.5 };

/** Small FedMultimodal-shaped models that train in seconds per round on 2 cores. */
export const SMALL_MODEL: ScenarioInput['model'] = { convChannels: [16, 32], kernelSize: 5, audioGruUnits: 32, videoGruUnits: 32, headHidden: 32, dropout: 0.1 };

/** FedMultimodal's local training settings. */
export const FEDMULTIMODAL_TRAINING: ScenarioInput['training'] = { epochs: 1, batchSize: 16, lr: 0.05, momentum: 0.9, weightDecay: 1e-5, clipNorm: 10 };
