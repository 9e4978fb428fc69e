/**
 * Which weight modules each model kind is made of. Shared by the engine (to select weights) and the
 * model builders (which name their layers `<module>.<part>`).
 */
import type { ModuleName } from '../core/weights.js';
import type { ModelKind } from '../train/types.js';

const MODULES: Record<ModelKind, ModuleName[]> = {
  audio: ['audio', 'audioHead'],
  video: ['video', 'videoHead'],
  av: ['audio', 'video', 'fusion'],
};

/** The modules of a model kind, in a fixed order. */
export function modulesOfKind(kind: ModelKind): ModuleName[] {
  return MODULES[kind].slice();
}
