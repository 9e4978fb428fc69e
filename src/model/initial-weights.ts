/**
 * Seeded initial weights computed in plain JavaScript (float64, rounded to float32), so they are a
 * pure function of (seed, key, shape) and identical on every backend (tfjs's orthogonal initialiser
 * runs a backend QR whose bits differ between cpu and wasm).
 *
 * Rules by weight name: `kernel` → Glorot uniform; `recurrent_kernel` → orthogonal (Keras recipe:
 * QR of a normal matrix, signs fixed so diag(R) > 0); `bias` → zeros. Each weight draws from its
 * own stream seedKey(seed, 'init', key), so a module shared by two model kinds starts identical.
 */
import { openStream, seedKey } from '../core/seed-streams.js';
import type { WeightMap } from '../core/weights.js';

/** Glorot-uniform values for a kernel of `shape` ([..., fanIn, fanOut], leading dims = receptive field). */
export function glorotUniform(shape: readonly number[], key: string): Float32Array {
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  const fanIn = (shape[shape.length - 2] ?? 1) * receptive;
  const fanOut = (shape[shape.length - 1] ?? 1) * receptive;
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const stream = openStream(key);
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < out.length; i++) out[i] = limit * (2 * stream.next() - 1);
  return out;
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

/** Initial values for every key of `shapes` (see the file comment for the rules). */
export function initialWeights(shapes: Record<string, readonly number[]>, seed: string): WeightMap {
  const out: WeightMap = {};
  for (const key of Object.keys(shapes).sort()) {
    const shape = shapes[key];
    const name = key.slice(key.lastIndexOf('/') + 1);
    const streamKey = seedKey(seed, 'init', key);
    if (name === 'kernel') out[key] = glorotUniform(shape, streamKey);
    else if (name === 'recurrent_kernel') out[key] = orthogonal(shape, streamKey);
    else if (name === 'bias') out[key] = new Float32Array(shape.reduce((a, b) => a * b, 1));
    else throw new Error(`initialWeights: no initialiser rule for weight '${key}'`);
  }
  return out;
}
