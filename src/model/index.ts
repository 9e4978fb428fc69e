/** Public surface of the model package: builders, weight maps, initial weights, backend selection. */
export { buildModel, type BuiltModel } from './build-model.js';
export { modulesOf, usesAudio, usesVideo, MODEL_KINDS } from './model-kinds.js';
export { getWeightMap, setWeightMap, weightShapes, weightKey, variablesByKey } from './weight-map.js';
export { initialWeights, glorotUniform, orthogonal } from './initial-weights.js';
export { pooledAudioFrames, pooledAudioLength } from './sequence-masks.js';
export { validateModelConfig } from './validate-model-config.js';
export { initBackend, activeBackend, type BackendName } from './backend.js';
