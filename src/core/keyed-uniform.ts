/**
 * One uniform draw keyed by identity, cheap enough to take for every client of a million: a 32-bit
 * FNV-1a hash of the key (seedKey(root, purpose, ids…)) through murmur3's finalizer, scaled to
 * [0, 1). For per-client constants of large declared populations; opening a full stream
 * (seed-streams.ts) per client costs microseconds each, which a million clients turn into seconds.
 */
import { seedKey } from './seed-streams.js';

/** A uniform in [0, 1) determined by (root, purpose, ids…) alone. */
export function keyedUniform(root: number | string, purpose: string, ...ids: Array<string | number>): number {
  const key = seedKey(root, purpose, ...ids);
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 0x100000000;
}
