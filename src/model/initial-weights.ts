/**
 * Seeded initial weights computed in plain JavaScript (float64, rounded to float32), so they are a
 * pure function of (seed, key, shape, scheme) and identical on every backend (tfjs's orthogonal
 * initialiser runs a backend QR whose bits differ between cpu and wasm). Each weight draws from its
 * own stream seedKey(seed, 'init', key), so a module shared by two model kinds starts identical.
 *
 * 'pytorch' (the default: FedMultimodal's models keep PyTorch's defaults, since their init_weight
 * loops over module names and never matches a layer): every weight and bias uniform in ±1/√fanIn,
 * where fanIn is in·k for a Conv1d and `in` for a Linear (kaiming_uniform with a = √5, and the
 * bias rule of reset_parameters); every GRU weight and both GRU biases uniform in ±1/√hidden.
 * A GRU is recognised by its `recurrent_kernel`.
 *
 * 'keras': `kernel` → Glorot uniform; `recurrent_kernel` → orthogonal (QR of a normal matrix,
 * signs fixed so diag(R) > 0); `bias` → zeros.
 */
import { openStream, seedKey } from '../core/seed-streams.js';
import type { WeightMap } from '../core/weights.js';
import type { InitScheme } from './model-config.js';

/** Uniform values in ±`bound` for `size` elements from the stream `key`. */
export function uniformValues(size: number, bound: number, key: string): Float32Array {
  const stream = openStream(key);
  const out = new Float32Array(size);
  for (let i = 0; i < out.length; i++) out[i] = bound * (2 * stream.next() - 1);
  return out;
}

/**
 * PyTorch's default bound for the weight `key` of `shapes`: 1/√hidden inside a GRU (a layer with a
 * recurrent_kernel), else 1/√fanIn of the layer's kernel (all kernel dims but the last).
 */
export function pytorchBound(shapes: Record<string, readonly number[]>, key: string): number {
  const layer = key.slice(0, key.lastIndexOf('/'));
  const recurrent = shapes[`${layer}/recurrent_kernel`];
  if (recurrent !== undefined) return 1 / Math.sqrt(recurrent[0]);
  const kernel = shapes[`${layer}/kernel`];
  if (kernel === undefined) throw new Error(`initialWeights: weight '${key}' has no '${layer}/kernel' to take its fan-in from`);
  const fanIn = kernel.slice(0, -1).reduce((a, b) => a * b, 1);
  return 1 / Math.sqrt(fanIn);
}

/** Glorot-uniform values for a kernel of `shape` ([..., fanIn, fanOut], leading dims = receptive field). */
export function glorotUniform(shape: readonly number[], key: string): Float32Array {
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  const fanIn = (shape[shape.length - 2] ?? 1) * receptive;
  const fanOut = (shape[shape.length - 1] ?? 1) * receptive;
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return uniformValues(shape.reduce((a, b) => a * b, 1), limit, key);
}

/** An orthogonal matrix of `shape` ([..., cols]; rows = product of the leading dims), row-major. */
export function orthogonal(shape: readonly number[], key: string): Float32Array {
  const cols = shape[shape.length - 1];
  const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const n = Math.max(rows, cols);
  const m = Math.min(rows, cols);
  const stream = openStream(key);
  // Column-major n×m normal matrix; modified Gram–Schmidt makes its columns orthonormal with
  // positive diag(R), which is QR followed by Keras's sign correction.
  const q: Float64Array[] = Array.from({ length: m }, () => {
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = stream.normal();
    return col;
  });
  for (let j = 0; j < m; j++) {
    const v = q[j];
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += q[k][i] * v[i];
      for (let i = 0; i < n; i++) v[i] -= dot * q[k][i];
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) v[i] /= norm;
  }
  const out = new Float32Array(rows * cols);
  // rows >= cols: out = Q (n×m); rows < cols: out = Qᵀ (m×n).
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[r * cols + c] = rows >= cols ? q[c][r] : q[r][c];
  }
  return out;
}

/** Initial values for every key of `shapes` under `scheme` (see the file comment for the rules). */
export function initialWeights(shapes: Record<string, readonly number[]>, seed: string, scheme: InitScheme = 'pytorch'): WeightMap {
  const out: WeightMap = {};
  for (const key of Object.keys(shapes).sort()) {
    const shape = shapes[key];
    const name = key.slice(key.lastIndexOf('/') + 1);
    const streamKey = seedKey(seed, 'init', key);
    if (scheme === 'pytorch') {
      if (!['kernel', 'recurrent_kernel', 'bias'].includes(name)) throw new Error(`initialWeights: no initialiser rule for weight '${key}'`);
      out[key] = uniformValues(shape.reduce((a, b) => a * b, 1), pytorchBound(shapes, key), streamKey);
      continue;
    }
    if (scheme !== 'keras') throw new Error(`initialWeights: init scheme ${JSON.stringify(scheme)} is not one of pytorch, keras`);
    if (name === 'kernel') out[key] = glorotUniform(shape, streamKey);
    else if (name === 'recurrent_kernel') out[key] = orthogonal(shape, streamKey);
    else if (name === 'bias') out[key] = new Float32Array(shape.reduce((a, b) => a * b, 1));
    else throw new Error(`initialWeights: no initialiser rule for weight '${key}'`);
  }
  return out;
}
