/**
 * The seed tree. Every random stream is derived from (root seed, purpose, ids…) — never from call
 * order — so adding a stream or reordering calls elsewhere cannot change an existing one.
 */
import seedrandom from 'seedrandom';

/** Canonical string key of a stream: `root/purpose/id1/id2…`. */
export function seedKey(root: number | string, purpose: string, ...ids: Array<string | number>): string {
  return [String(root), purpose, ...ids.map(String)].join('/');
}

/** A seeded random stream with the draws the engine needs. Its position is plain data (`state()`). */
export interface RandomStream {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Gamma(shape, 1) (Marsaglia–Tsang), used for Dirichlet draws. */
  gamma(shape: number): number;
  /** Fisher–Yates shuffle of a copy. */
  shuffle<T>(items: readonly T[]): T[];
  /** `k` distinct items chosen uniformly, returned in their original order. */
  sample<T>(items: readonly T[], k: number): T[];
  /** Serializable generator state, to checkpoint and resume the stream. */
  state(): object;
}

/** Opens the stream for `key` (see seedKey), optionally resuming from a saved state. */
export function openStream(key: string, saved?: object): RandomStream {
  const prng = saved
    ? seedrandom.alea('', { state: saved as seedrandom.State.Alea })
    : seedrandom.alea(key, { state: true });
  const next = () => prng.quick();
  const normal = () => {
    // Box–Muller; 1 - u keeps log away from 0.
    const u = 1 - next();
    const v = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const gamma = (shape: number): number => {
    if (shape < 1) return gamma(shape + 1) * Math.pow(1 - next(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - next();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  };
  const int = (n: number) => Math.floor(next() * n);
  const shuffle = <T>(items: readonly T[]): T[] => {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = int(i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
  const sample = <T>(items: readonly T[], k: number): T[] => {
    const picked = shuffle(items.map((_, i) => i)).slice(0, Math.min(k, items.length));
    return picked.sort((a, b) => a - b).map((i) => items[i]);
  };
  return { next, int, normal, gamma, shuffle, sample, state: () => prng.state() };
}

/** Shorthand: the stream for (root, purpose, ids…). */
export function rng(root: number | string, purpose: string, ...ids: Array<string | number>): RandomStream {
  return openStream(seedKey(root, purpose, ...ids));
}

/** A 32-bit integer derived from a key, for APIs that take a numeric seed (tfjs initialisers, dropout). */
export function seedInt(key: string): number {
  return Math.floor(openStream(key).next() * 0x7fffffff);
}
