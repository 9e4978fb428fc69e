/**
 * Misbehaving clients (scenario event `misbehave`): the update is computed honestly and then
 * altered, so replay, doomed-work skipping and `--compute-doomed` stay exact. Kinds, for an honest
 * update w from the global model g:
 * - `sign-flip`: g − k·(w − g);  `scale`: g + k·(w − g);
 * - `noise`: w + N(0, σ²) per value, from the stream (seed, 'misbehave', client, round);
 * - `nan`: every value NaN;  `free-ride`: g unchanged, still claiming its samples;
 * - `label-flip`: trains honestly on labels shifted by one class (y → (y + 1) mod C: data
 *   poisoning, applied to the task, not here; see labelShiftOf).
 */
import { rng } from '../core/seed-streams.js';
import type { WeightMap } from '../core/weights.js';

/** How a client misbehaves while the event holds. */
export interface Misbehaviour {
  kind: 'sign-flip' | 'scale' | 'noise' | 'nan' | 'free-ride' | 'label-flip';
  /** k of sign-flip and scale (default 1 and 10). */
  factor?: number;
  /** σ of noise (default 1). */
  sigma?: number;
}

/** The label shift a misbehaviour applies to training data (1 for label-flip, else 0). */
export function labelShiftOf(m: Misbehaviour | null): number {
  return m?.kind === 'label-flip' ? 1 : 0;
}

/** The update a misbehaving client sends instead of `honest` (keys and shapes kept). */
export function alterUpdate(honest: WeightMap, global: WeightMap, m: Misbehaviour, ids: { seed: number; clientId: string; round: number }): WeightMap {
  if (m.kind === 'label-flip') return honest;
  const out: WeightMap = {};
  const stream = m.kind === 'noise' ? rng(ids.seed, 'misbehave', ids.clientId, ids.round) : null;
  for (const key of Object.keys(honest).sort()) {
    const w = honest[key];
    const g = global[key] ?? new Float32Array(w.length);
    const v = new Float32Array(w.length);
    for (let i = 0; i < w.length; i++) {
      switch (m.kind) {
        case 'sign-flip': v[i] = g[i] - (m.factor ?? 1) * (w[i] - g[i]); break;
        case 'scale': v[i] = g[i] + (m.factor ?? 10) * (w[i] - g[i]); break;
        case 'noise': v[i] = w[i] + (m.sigma ?? 1) * stream!.normal(); break;
        case 'nan': v[i] = Number.NaN; break;
        case 'free-ride': v[i] = g[i]; break;
      }
    }
    out[key] = v;
  }
  return out;
}
