/**
 * Which time steps of each audio conv block anything downstream reads, per clip.
 *
 * The audio encoder is a stack of blocks (Conv1d 'same' stride 1 + ReLU → MaxPool 2) followed by a
 * GRU whose outputs count only at a clip's masked steps. The GRU runs forward, so a counted step
 * depends on the blocks' outputs at counted steps only, and each of those on a receptive field that
 * reaches `right` steps past it per convolution. Working back from the last counted step gives, per
 * block, the leading conv output steps a clip needs and the leading input steps whose gradient is
 * needed. Steps after them feed only masked GRU steps: their values never reach the loss and their
 * gradients are ±0, so a block may skip them (write zeros, leave them out of sums) and every counted
 * value and every gradient sum stays the same, up to the sign of a sum that is exactly zero.
 * For the bench's clips (26–102 frames, batches cut to their longest) this is ~30% of the conv work.
 */

/** Per clip, the leading steps of one block that matter. */
export interface BlockRows {
  /** Conv output steps (before pooling) to compute. */
  conv: number[];
  /** Input steps whose gradient is needed (the previous block's pooled output steps). */
  input: number[];
}

/**
 * The rows of block `index` (0-based) of a stack of `count` blocks with `kernelSize` taps, whose
 * input has `inFrames` steps, for clips whose last counted GRU step is `counted[b] - 1`.
 */
export function convBlockRows(counted: readonly number[], inFrames: number, index: number, count: number, kernelSize: number): BlockRows {
  const right = kernelSize - 1 - Math.floor((kernelSize - 1) / 2);
  const frames: number[] = [inFrames];
  for (let j = index + 1; j <= count; j++) frames.push(Math.floor(frames[frames.length - 1] / 2));
  const conv: number[] = [];
  const input: number[] = [];
  for (const c of counted) {
    // Pooled output steps of the last block that the GRU's counted steps read.
    let pooled = Math.max(0, Math.min(c, frames[count - index]));
    let convSteps = 0;
    let inputSteps = 0;
    for (let j = count - 1; j >= index; j--) {
      const t = frames[j - index];
      convSteps = Math.min(t, 2 * pooled);
      inputSteps = convSteps === 0 ? 0 : Math.min(t, convSteps + right);
      pooled = inputSteps;
    }
    conv.push(convSteps);
    input.push(inputSteps);
  }
  return { conv, input };
}

/** Per row of a 0/1 mask [B, steps] (row-major), one past its last nonzero step (0 for an all-zero row). */
export function countedSteps(mask: ArrayLike<number>, batch: number, steps: number): number[] {
  const out: number[] = [];
  for (let b = 0; b < batch; b++) {
    let last = 0;
    for (let t = 0; t < steps; t++) if (mask[b * steps + t] !== 0) last = t + 1;
    out.push(last);
  }
  return out;
}
