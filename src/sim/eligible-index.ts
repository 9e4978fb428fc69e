/**
 * Which clients a round may sample, kept incrementally: every client sits in one modality class
 * (audio and video bits; clients without training samples in none), and one Fenwick tree per
 * class counts the class's clients by population rank (ids in string order). Counting the eligible
 * clients of a set of classes and finding the r-th of them (in rank order) both take O(log n) per
 * class; a modality change moves a client between classes in O(log n). Nothing here is run state:
 * the index is rebuilt from the population and the server's recorded changes whenever needed.
 */

/** Number of modality classes: bit 0 = has audio, bit 1 = has video. */
export const MODALITY_CLASSES = 4;

/** The class of a client with these modalities and sample count; -1 when it has nothing to train on. */
export function modalityClass(hasAudio: boolean, hasVideo: boolean, numSamples: number): number {
  return numSamples > 0 ? (hasAudio ? 1 : 0) | (hasVideo ? 2 : 0) : -1;
}

/** Fenwick trees over population ranks, one per modality class. */
export class EligibleIndex {
  private readonly trees: Int32Array[];
  private readonly classes: Int8Array;
  private readonly top: number;

  /** Builds the index for `size` ranks, `classOf(rank)` giving each one's class (O(n)). */
  constructor(readonly size: number, classOf: (rank: number) => number) {
    this.classes = new Int8Array(size);
    this.trees = Array.from({ length: MODALITY_CLASSES }, () => new Int32Array(size + 1));
    for (let r = 0; r < size; r++) {
      const c = classOf(r);
      this.classes[r] = c;
      if (c >= 0) this.trees[c][r + 1] += 1;
    }
    // Linear-time Fenwick build: push each node's sum to its parent.
    for (const tree of this.trees) {
      for (let i = 1; i <= size; i++) {
        const parent = i + (i & -i);
        if (parent <= size) tree[parent] += tree[i];
      }
    }
    let top = 1;
    while (top * 2 <= size) top *= 2;
    this.top = top;
  }

  /** The class of the client at `rank`. */
  classAt(rank: number): number {
    return this.classes[rank];
  }

  /** Moves the client at `rank` to class `c` (-1: none). */
  setClass(rank: number, c: number): void {
    const old = this.classes[rank];
    if (old === c) return;
    if (old >= 0) this.add(this.trees[old], rank, -1);
    if (c >= 0) this.add(this.trees[c], rank, 1);
    this.classes[rank] = c;
  }

  /** Number of clients in the given classes. */
  count(classes: readonly number[]): number {
    let total = 0;
    for (const c of classes) total += this.prefix(this.trees[c], this.size);
    return total;
  }

  /** The rank of the `r`-th (0-based) client of the given classes, in rank order. */
  select(classes: readonly number[], r: number): number {
    let pos = 0;
    let left = r + 1;
    for (let step = this.top; step > 0; step >>= 1) {
      const next = pos + step;
      if (next > this.size) continue;
      let sum = 0;
      for (const c of classes) sum += this.trees[c][next];
      if (sum < left) {
        pos = next;
        left -= sum;
      }
    }
    if (pos >= this.size) throw new RangeError(`eligible index: no client at position ${r} (${this.count(classes)} eligible)`);
    return pos;
  }

  private add(tree: Int32Array, rank: number, delta: number): void {
    for (let i = rank + 1; i <= this.size; i += i & -i) tree[i] += delta;
  }

  private prefix(tree: Int32Array, end: number): number {
    let sum = 0;
    for (let i = end; i > 0; i -= i & -i) sum += tree[i];
    return sum;
  }
}
