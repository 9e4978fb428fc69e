/**
 * Per-sequence helpers of the SIMD 1-D convolutions: the zero-padded copy of a [B, T, C] sequence
 * batch in the wasm heap that they read as overlapping rows ([B, before + T + after, C], zeros before
 * and after each sequence), and the check of their per-sequence `rows` attribute.
 */

/** Writes `x` (B sequences of T rows of C floats, at element offset `from`) padded into `heap` at element offset `to`. */
export function writePaddedRows(
  heap: Float32Array,
  from: number,
  to: number,
  shape: { batch: number; steps: number; channels: number },
  before: number,
  after: number,
): void {
  const { batch, steps, channels } = shape;
  const row = steps * channels;
  const padded = (before + steps + after) * channels;
  for (let b = 0; b < batch; b++) {
    const dst = to + b * padded;
    heap.fill(0, dst, dst + before * channels);
    heap.copyWithin(dst + before * channels, from + b * row, from + (b + 1) * row);
    heap.fill(0, dst + before * channels + row, dst + padded);
  }
}

/** Throws unless `rows` is null or holds, per sequence of `batch`, an integer count in [0, steps]. */
export function checkRows(kernelName: string, rows: readonly number[] | null, batch: number, steps: number): void {
  if (rows !== null && (rows.length !== batch || rows.some((r) => !Number.isInteger(r) || r < 0 || r > steps))) {
    throw new Error(`${kernelName}: rows [${rows}] must be ${batch} integers in [0, ${steps}]`);
  }
}
