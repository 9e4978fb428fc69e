/**
 * How far clients' label mixes are from the global one: the mean over clients of the total
 * variation distance between the client's label distribution and the pooled distribution of all
 * partitioned samples (0 = every client mirrors the whole, near 1 = clients hold disjoint labels).
 * A plain number for summaries and for checking that a smaller Dirichlet alpha skews more.
 */

/** Mean total-variation distance between each client's label distribution and the overall one. */
export function labelSkew(labels: ArrayLike<number>, clients: ReadonlyArray<{ indices: readonly number[] }>, numClasses: number): number {
  const global = new Array<number>(numClasses).fill(0);
  let total = 0;
  const perClient = clients.map((client) => {
    const counts = new Array<number>(numClasses).fill(0);
    for (const i of client.indices) counts[labels[i]]++;
    counts.forEach((n, c) => (global[c] += n));
    total += client.indices.length;
    return counts;
  });
  let sum = 0;
  let counted = 0;
  for (const counts of perClient) {
    const size = counts.reduce((a, b) => a + b, 0);
    if (size === 0) continue;
    sum += 0.5 * counts.reduce((s, n, c) => s + Math.abs(n / size - global[c] / total), 0);
    counted++;
  }
  return counted === 0 ? 0 : sum / counted;
}
