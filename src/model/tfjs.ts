/**
 * The one place this package loads `@tensorflow/tfjs`, with require() rather than import: Node's
 * ESM import of tfjs's CommonJS bundles first scans their ~2.5 MB of source for export names
 * (cjs-module-lexer), which doubles what loading tfjs costs in every pool worker
 * (`node -e "require('@tensorflow/tfjs')"` 0.36 s against 0.75 s for `await import(...)`).
 * Modules write `import * as tf from './tfjs.js'` and use tfjs's types and the values below.
 */
import { createRequire } from 'node:module';
import type * as Tfjs from '@tensorflow/tfjs';

export type * from '@tensorflow/tfjs';
/** A tfjs layer (the class is `layers.Layer`; its namespace is a value here, so the type is named apart). */
export type Layer = Tfjs.layers.Layer;
/** The padding a conv kernel's attributes may hold. */
export type ExplicitPadding = Tfjs.backend_util.ExplicitPadding;

/** The tfjs namespace (the same module object an `import` of '@tensorflow/tfjs' would wrap). */
export const tfjs = createRequire(import.meta.url)('@tensorflow/tfjs') as typeof Tfjs;

/** The tfjs functions, namespaces and kernel names this package uses. */
export const {
  add, addN, argMax, backend, backend_util, conv2d, customGrad, div, engine, exp, expandDims, fill,
  findBackend, findBackendFactory, fused, getBackend, getKernel, greater, initializers, input, keep,
  layers, logSoftmax, logicalAnd, logicalNot, matMul, max, maxPool, maximum, mean, minimum, model,
  mul, neg, oneHot, pad, ready, registerKernel, reshape, reverse, scalar, setBackend,
  slice, split, sqrt, square, stack, sub, sum, tensor, tensor1d, tensor2d, tensor3d, tidy, train,
  transpose, unstack, variableGrads, where, zerosLike, Conv2DBackpropFilter, SGDOptimizer,
} = tfjs;
