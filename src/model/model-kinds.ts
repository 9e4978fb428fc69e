/**
 * Which modules and inputs each model kind has. The module names are the prefixes of weight keys,
 * so strategies aggregate per module by prefix selection (see src/core/weights.ts).
 */
import type { ModuleName } from '../core/weights.js';
import type { ModelKind } from './model-config.js';

/** Every model kind, in a fixed order. */
export const MODEL_KINDS: readonly ModelKind[] = ['audio', 'video', 'av'];

const MODULES: Record<ModelKind, readonly ModuleName[]> = {
  audio: ['audio', 'audioHead'],
  video: ['video', 'videoHead'],
  av: ['audio', 'video', 'fusion'],
};

/** Modules whose weights make up a model of `kind` (audio-visual = both encoders + fusion head). */
export function modulesOf(kind: ModelKind): readonly ModuleName[] {
  const modules = MODULES[kind];
  if (modules === undefined) {
    throw new Error(`modulesOf: model kind ${JSON.stringify(kind)} is not one of ${MODEL_KINDS.join(', ')}`);
  }
  return modules;
}

/** Whether a model of `kind` reads audio features. */
export function usesAudio(kind: ModelKind): boolean {
  return kind === 'audio' || kind === 'av';
}

/** Whether a model of `kind` reads video features. */
export function usesVideo(kind: ModelKind): boolean {
  return kind === 'video' || kind === 'av';
}
