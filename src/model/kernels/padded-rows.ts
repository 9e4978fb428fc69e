/**
 * The zero-padded copy of a [B, T, C] sequence batch in the wasm heap that the SIMD convolutions
 * read as overlapping rows: [B, before + T + after, C], zeros before and after each sequence.
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
