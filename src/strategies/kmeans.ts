/**
 * Small seeded k-means (Lloyd's algorithm with k-means++ seeding from a given stream). Used by
 * Harmony to group clients by modality bias. Deterministic for a given stream and input order.
 */
import type { RandomStream } from '../core/seed-streams.js';

function distance2(a: number[], b: number[]): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += (a[i] - b[i]) ** 2;
  return d;
}

/** Cluster index per point (clusters numbered by first appearance, so labels are canonical). */
export function kmeans(points: number[][], k: number, stream: RandomStream, iterations = 50): number[] {
  if (points.length === 0) return [];
  const kk = Math.max(1, Math.min(k, points.length));
  const centers: number[][] = [points[stream.int(points.length)].slice()];
  while (centers.length < kk) {
    const weights = points.map((p) => Math.min(...centers.map((c) => distance2(p, c))));
    const total = weights.reduce((s, w) => s + w, 0);
    if (total === 0) break; // fewer distinct points than k
    let r = stream.next() * total;
    let pick = 0;
    while (pick < points.length - 1 && r >= weights[pick]) r -= weights[pick++];
    centers.push(points[pick].slice());
  }
  let labels = points.map(() => 0);
  for (let it = 0; it < iterations; it++) {
    const next = points.map((p) => {
      let best = 0;
      for (let c = 1; c < centers.length; c++) if (distance2(p, centers[c]) < distance2(p, centers[best])) best = c;
      return best;
    });
    const changed = next.some((l, i) => l !== labels[i]);
    labels = next;
    for (let c = 0; c < centers.length; c++) {
      const members = points.filter((_, i) => labels[i] === c);
      if (members.length > 0) centers[c] = members[0].map((_, d) => members.reduce((s, m) => s + m[d], 0) / members.length);
    }
    if (!changed && it > 0) break;
  }
  const order = new Map<number, number>();
  return labels.map((l) => {
    if (!order.has(l)) order.set(l, order.size);
    return order.get(l)!;
  });
}
