/**
 * Dirichlet label-skew partition with FedMultimodal's semantics (its PartitionManager):
 * for each class, shuffle the class's samples, draw client proportions ~ Dirichlet(alpha), zero the
 * proportion of every client that already holds >= N / numClients samples (the "balance" step,
 * which keeps client sizes from running away), renormalise, and cut the class at
 * floor(cumsum(p) · n_class). Redraw the whole partition until every client has >= minSamples.
 * Randomness is keyed by (key, try, class), never by call order.
 */
import { ConfigError } from '../core/errors.js';
import { openStream, type RandomStream } from '../core/seed-streams.js';

/** One client's share: id (a decimal string) and its sample indices, ascending. */
export interface ClientPartition {
  id: string;
  indices: number[];
}

/** Knobs beyond FedMultimodal's signature. */
export interface DirichletOptions {
  /** Give up after this many draws (default 1000). */
  maxTries?: number;
  /** FedMultimodal's balance step (default true). */
  balance?: boolean;
  /** Where the values came from, for error messages (default 'dirichlet partition'). */
  source?: string;
}

/**
 * Partitions `sampleIndices` (labels read from `labels[index]`) over `numClients` clients with ids
 * '0'..String(numClients - 1); returns them sorted by id as strings ('0', '1', '10', '11', …, '2').
 * Throws ConfigError when the inputs are invalid or `minSamples` cannot be met within maxTries.
 */
export function dirichletPartition(
  labels: ArrayLike<number>,
  sampleIndices: readonly number[],
  numClients: number,
  alpha: number,
  seedKey: string,
  minSamples = 10,
  options: DirichletOptions = {},
): ClientPartition[] {
  const { maxTries = 1000, balance = true, source = 'dirichlet partition' } = options;
  const total = sampleIndices.length;
  if (!Number.isInteger(numClients) || numClients < 1) throw new ConfigError(source, 'numClients', numClients, 'an integer >= 1');
  if (!(alpha > 0 && Number.isFinite(alpha))) throw new ConfigError(source, 'alpha', alpha, 'a finite number > 0');
  if (!Number.isInteger(minSamples) || minSamples < 0) throw new ConfigError(source, 'minSamples', minSamples, 'an integer >= 0');
  if (numClients * minSamples > total) {
    throw new ConfigError(source, 'minSamples', minSamples, `${numClients} clients × ${minSamples} exceeds the ${total} samples to partition`);
  }
  const byClass = groupByClass(labels, sampleIndices);
  for (let attempt = 0; attempt < maxTries; attempt++) {
    const clients = drawPartition(byClass, numClients, alpha, `${seedKey}/try${attempt}`, balance, total);
    if (Math.min(...clients.map((c) => c.length)) >= minSamples) {
      return clients
        .map((indices, j) => ({ id: String(j), indices: indices.sort((a, b) => a - b) }))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    }
  }
  throw new ConfigError(
    source,
    'minSamples',
    minSamples,
    `no Dirichlet(alpha=${alpha}) draw in ${maxTries} tries gave all ${numClients} clients >= ${minSamples} of the ${total} samples; ` +
      'raise alpha, lower numClients or minSamples, or use more samples',
  );
}

function groupByClass(labels: ArrayLike<number>, indices: readonly number[]): number[][] {
  const map = new Map<number, number[]>();
  for (const i of indices) {
    const label = labels[i];
    let list = map.get(label);
    if (!list) map.set(label, (list = []));
    list.push(i);
  }
  return [...map.keys()].sort((a, b) => a - b).map((label) => map.get(label)!.sort((a, b) => a - b));
}

function drawPartition(byClass: number[][], numClients: number, alpha: number, key: string, balance: boolean, total: number): number[][] {
  const clients: number[][] = Array.from({ length: numClients }, () => []);
  const fairShare = total / numClients;
  byClass.forEach((members, k) => {
    const stream = openStream(`${key}/class${k}`);
    const shuffled = stream.shuffle(members);
    let p = dirichlet(stream, alpha, numClients);
    if (balance) {
      const masked = p.map((v, j) => (clients[j].length < fairShare ? v : 0));
      const sum = masked.reduce((a, b) => a + b, 0);
      // Every client already at its fair share cannot happen with exact counts, but guard the 0/0.
      if (sum > 0) p = masked.map((v) => v / sum);
    }
    // Cuts at floor(cumsum · n); the last client with a non-zero share takes the rest, so the
    // rounding of a cumulative sum just under 1 cannot leak a sample to a client whose share is 0.
    let lastShare = numClients - 1;
    while (lastShare > 0 && p[lastShare] === 0) lastShare--;
    let cumulative = 0;
    let start = 0;
    for (let j = 0; j < numClients; j++) {
      cumulative += p[j];
      const end = j >= lastShare ? members.length : Math.min(members.length, Math.floor(cumulative * members.length));
      for (let s = start; s < end; s++) clients[j].push(shuffled[s]);
      start = Math.max(start, end);
    }
  });
  return clients;
}

/**
 * Dirichlet(alpha, …, alpha) via normalised Gamma draws, computed in log space: for small alpha the
 * Gamma draws underflow to 0 in linear space (every client 0 → 0/0). Uses the same uniforms in the
 * same order as RandomStream.gamma (Gamma(a) = Gamma(a + 1) · U^(1/a) for a < 1).
 */
function dirichlet(stream: RandomStream, alpha: number, n: number): number[] {
  const logs = new Array<number>(n);
  for (let j = 0; j < n; j++) {
    logs[j] = alpha >= 1 ? Math.log(stream.gamma(alpha)) : Math.log(stream.gamma(alpha + 1)) + Math.log(1 - stream.next()) / alpha;
  }
  const max = Math.max(...logs);
  const weights = logs.map((l) => Math.exp(l - max));
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / sum);
}
