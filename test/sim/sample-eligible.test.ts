import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EligibleClients } from '../../actors/eligible-clients.js';
import { rng } from '../../src/core/seed-streams.js';
import type { ClientData } from '../../src/data/types.js';
import { clientRows } from '../../src/data/client-rows.js';
import { EligibleIndex } from '../../src/sim/eligible-index.js';
import { sampleRanks } from '../../src/sim/sample-ranks.js';
import { unifl } from '../../src/strategies/unifl.js';

const clients = (n: number, video: (i: number) => boolean): ClientData[] =>
  Array.from({ length: n }, (_, i) => ({ id: `c${i}`, train: i % 7 === 3 ? [] : [i], hasAudio: i % 5 !== 1, hasVideo: video(i) }));

describe('sampling a round over the eligible index', () => {
  it('draws k distinct ranks in [0, n), ascending, and all of them when k >= n', () => {
    const ranks = sampleRanks(rng(1, 'sample', 0), 1_000_000, 100);
    expect(new Set(ranks).size).toBe(100);
    expect(ranks.every((r, i) => r >= 0 && r < 1_000_000 && (i === 0 || ranks[i - 1] < r))).toBe(true);
    expect(sampleRanks(rng(1, 'sample', 0), 5, 9)).toEqual([0, 1, 2, 3, 4]);
    expect(sampleRanks(rng(1, 'sample', 0), 0, 3)).toEqual([]);
  });

  it('follows the stated rule: a forward partial Fisher–Yates over the identity permutation', () => {
    // The rule by hand, on a dense array: what the sparse version must reproduce.
    const dense = (seed: number, n: number, k: number) => {
      const s = rng(seed, 'sample', 3);
      const perm = Array.from({ length: n }, (_, i) => i);
      for (let i = 0; i < k; i++) {
        const j = i + s.int(n - i);
        [perm[i], perm[j]] = [perm[j], perm[i]];
      }
      return perm.slice(0, k).sort((a, b) => a - b);
    };
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 300 }), (seed, n, k) => {
      expect(sampleRanks(rng(seed, 'sample', 3), n, k)).toEqual(dense(seed, n, Math.min(k, n)));
    }));
  });

  it('gives the same clients for the same seed however the population is stored', () => {
    const population = clients(500, (i) => i % 3 === 0);
    const sorted = clientRows(population);
    const shuffled = clientRows(rng(9, 'layout').shuffle(population));
    // A third layout: a plain sorted list of the eligible ids, as the engine stored it before the index.
    const eligibleIds = population.filter((c) => c.train.length > 0 && c.hasAudio).map((c) => c.id).sort();
    for (let round = 0; round < 20; round++) {
      const a = new EligibleClients(sorted, {});
      const b = new EligibleClients(shuffled, {});
      const classes = a.classesFor(unifl as never, {} as never);
      const fromA = a.sample(rng(4, 'sample', round), classes, 25).map((c) => c.id);
      const fromB = b.sample(rng(4, 'sample', round), classes, 25).map((c) => c.id);
      const fromList = sampleRanks(rng(4, 'sample', round), eligibleIds.length, 25).map((r) => eligibleIds[r]);
      expect(fromA).toEqual(fromList);
      expect(fromB).toEqual(fromList);
    }
  });

  it('keeps eligibility in step with announced modality changes', () => {
    const rows = clientRows(clients(40, () => true));
    const changes = {};
    const index = new EligibleClients(rows, changes);
    const uniflClasses = index.classesFor(unifl as never, {} as never);
    const before = index.count(uniflClasses);
    index.announce('c0', { hasAudio: false });
    expect(index.count(uniflClasses)).toBe(before - 1);
    expect(index.view(rows.rankOf('c0'))).toMatchObject({ hasAudio: false, hasVideo: true });
    index.announce('c0', { hasAudio: true });
    expect(index.count(uniflClasses)).toBe(before);
    // A rebuild from the recorded changes (a restored checkpoint) gives the same index.
    index.announce('c2', { hasAudio: false });
    const rebuilt = new EligibleClients(rows, structuredClone(changes));
    expect(rebuilt.count(uniflClasses)).toBe(index.count(uniflClasses));
    expect(rebuilt.sample(rng(1, 'sample', 0), uniflClasses, 10)).toEqual(index.sample(rng(1, 'sample', 0), uniflClasses, 10));
  });

  it('counts and selects like a scan, under any sequence of class changes (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: -1, max: 3 }), { minLength: 1, maxLength: 80 }),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: -1, max: 3 })), { maxLength: 40 }),
      fc.subarray([0, 1, 2, 3], { minLength: 1 }),
      (start, moves, classes) => {
        const current = [...start];
        const index = new EligibleIndex(current.length, (r) => current[r]);
        for (const [at, c] of moves) {
          current[at % current.length] = c;
          index.setClass(at % current.length, c);
        }
        const members = current.map((c, r) => ({ c, r })).filter(({ c }) => classes.includes(c)).map(({ r }) => r);
        expect(index.count(classes)).toBe(members.length);
        members.forEach((rank, j) => expect(index.select(classes, j)).toBe(rank));
      },
    ));
  });
});
