/**
 * The round's sample, drawn in O(k): `k` distinct positions out of `n`, from one seeded stream.
 *
 * The rule (what makes a sample independent of how the population is stored): the eligible clients
 * are ranked by id (string order); for i = 0 … k-1 the stream draws j = i + int(n - i) and swaps
 * positions i and j of the identity permutation 0 … n-1 (a forward partial Fisher–Yates); the first
 * k positions, sorted ascending, are the sampled ranks. Only n, k and the stream decide the ranks,
 * so any store that can answer "the r-th eligible id" gives the same clients for the same seed.
 * The permutation is kept sparse (only swapped positions), so memory and time are O(k).
 */
import type { RandomStream } from '../core/seed-streams.js';

/** `k` distinct ranks in [0, n), ascending, drawn by the rule above (k is capped at n). */
export function sampleRanks(stream: RandomStream, n: number, k: number): number[] {
  const count = Math.max(0, Math.min(k, n));
  const swapped = new Map<number, number>();
  const at = (i: number): number => swapped.get(i) ?? i;
  const out: number[] = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    const j = i + stream.int(n - i);
    const picked = at(j);
    swapped.set(j, at(i));
    out[i] = picked;
  }
  return out.sort((a, b) => a - b);
}
