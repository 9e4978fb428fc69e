/**
 * The aggregation rules against hand-computed examples (odd and even counts, ties, f at its limit),
 * and properties: median and trimmed mean stay within the honest values' range per coordinate when
 * attackers are fewer than half (and fewer than the trimmed count); Krum never keeps an update
 * farther than the honest ones on a constructed attack.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WeightMap } from '../../src/core/weights.js';
import { aggregate, type AggregatorSpec } from '../../src/strategies/aggregators/index.js';
import { krumScores } from '../../src/strategies/aggregators/krum.js';
import type { UpdateReply } from '../../src/strategies/strategy.js';

const K = 'audio.w/kernel';
const H = 'audioHead.w/kernel';
const f32 = (...v: number[]) => Float32Array.from(v);
const reply = (clientId: string, numSamples: number, values: number[], extra: WeightMap = {}): UpdateReply => ({ clientId, numSamples, weights: { [K]: f32(...values), ...extra }, meanLoss: 0 });
const global: WeightMap = { [K]: f32(0, 0), [H]: f32(7) };
const run = (spec: AggregatorSpec, replies: UpdateReply[]) => aggregate(spec, global, replies);

describe('aggregators, hand-computed', () => {
  it('fedavg: sample-weighted, other modules untouched', () => {
    const out = run({ name: 'fedavg' }, [reply('a', 1, [1, 2]), reply('b', 3, [5, 6])]);
    expect(Array.from(out.weights[K])).toEqual([4, 5]); // (1·1 + 3·5)/4, (1·2 + 3·6)/4
    expect(out.weights[H]).toBe(global[H]);
    expect(out.notes).toEqual([]);
  });

  it('median: odd count takes the middle, even count the mean of the two middle, ties are harmless', () => {
    expect(Array.from(run({ name: 'median' }, [reply('a', 1, [1, 9]), reply('b', 50, [3, 2]), reply('c', 1, [100, 4])]).weights[K])).toEqual([3, 4]);
    expect(Array.from(run({ name: 'median' }, [reply('a', 1, [1, 9]), reply('b', 1, [3, 2]), reply('c', 1, [100, 4]), reply('d', 1, [5, 4])]).weights[K])).toEqual([4, 4]);
    expect(Array.from(run({ name: 'median' }, [reply('a', 1, [2, 2]), reply('b', 1, [2, 2]), reply('c', 1, [-9, 9])]).weights[K])).toEqual([2, 2]);
  });

  it('trimmed mean: drops floor(β·n) from each side per coordinate', () => {
    const five = [reply('a', 1, [1, 10]), reply('b', 1, [2, 20]), reply('c', 1, [3, 30]), reply('d', 1, [4, 40]), reply('e', 1, [1000, -1000])];
    // β = 0.2, n = 5: one from each side. x: {1,2,3,4,1000} → (2+3+4)/3 = 3; y: {−1000,10,20,30,40} → (10+20+30)/3 = 20.
    expect(Array.from(run({ name: 'trimmed-mean', beta: 0.2 }, five).weights[K])).toEqual([3, 20]);
    // β = 0.1, n = 5: floor(0.5) = 0, the plain unweighted mean.
    expect(run({ name: 'trimmed-mean', beta: 0.1 }, five).weights[K][0]).toBeCloseTo(202, 4);
    expect(() => run({ name: 'trimmed-mean', beta: 0.5 }, five)).toThrow(/beta = 0.5/);
  });

  it('krum: scores are sums of squared distances to the n − f − 2 nearest; the lowest is kept', () => {
    // Points on a line: 0, 1, 2, 10, with f = 1 → n − f − 2 = 1 neighbour.
    const replies = [reply('a', 1, [0, 0]), reply('b', 1, [1, 0]), reply('c', 1, [2, 0]), reply('d', 1, [10, 0])];
    expect(krumScores(replies, [K], 1)).toEqual([1, 1, 1, 64]);
    const out = run({ name: 'krum', f: 1 }, replies);
    // a, b and c tie at 1: the lowest client id wins.
    expect(Array.from(out.weights[K])).toEqual([0, 0]);
    expect(out.notes.map((n) => n.clientId)).toEqual(['b', 'c', 'd']);
    expect(out.notes[2]).toMatchObject({ module: 'audio', effect: 'excluded', reason: expect.stringMatching(/krum score 64\.00 not among the 1 lowest \(f = 1\)/) });
  });

  it('multi-krum keeps n − f and averages them; f at its limit n = 2f + 3', () => {
    // n = 5, f = 1: 3 neighbours. Honest 0, 1, 2, 3 and an attacker at 100.
    const replies = [reply('a', 1, [0, 0]), reply('b', 1, [1, 0]), reply('c', 1, [2, 0]), reply('d', 1, [3, 0]), reply('e', 1, [100, 0])];
    const out = run({ name: 'multi-krum', f: 1 }, replies);
    expect(out.weights[K][0]).toBeCloseTo(1.5, 6); // mean of 0..3
    expect(out.notes.map((n) => n.clientId)).toEqual(['e']);
  });

  it('norm clip: each update\'s distance from the global model is clipped to τ, then averaged', () => {
    const out = run({ name: 'norm-clip', tau: 1.5 }, [reply('a', 1, [0.6, 0.8]), reply('b', 1, [30, 40])]);
    // a's norm is 1 (kept); b's is 50 → scaled by 1.5/50 to (0.9, 1.2). Mean: (0.75, 1.0).
    expect(out.weights[K][0]).toBeCloseTo(0.75, 6);
    expect(out.weights[K][1]).toBeCloseTo(1.0, 6);
    expect(out.notes).toEqual([{ clientId: 'b', module: 'audio', effect: 'down-weighted', reason: 'update norm 50.00 clipped to 1.5' }]);
  });

  it('every rule aggregates per module over the replies that carry it', () => {
    const withHead = reply('z', 1, [4, 4], { [H]: f32(1) });
    for (const name of ['fedavg', 'median', 'trimmed-mean', 'krum', 'multi-krum', 'norm-clip'] as const) {
      const out = run({ name, tau: 100 }, [reply('a', 1, [2, 2]), withHead]);
      expect(out.weights[H][0], name).toBe(1); // only z carries the head
    }
  });
});

describe('aggregator properties', () => {
  const honestAndAttackers = fc.record({
    honest: fc.array(fc.array(fc.float({ min: -10, max: 10, noNaN: true }), { minLength: 3, maxLength: 3 }), { minLength: 3, maxLength: 9 }),
    attackers: fc.array(fc.array(fc.float({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 3, maxLength: 3 }), { minLength: 0, maxLength: 4 }),
  }).filter(({ honest, attackers }) => attackers.length < honest.length);

  const replies = (honest: number[][], attackers: number[][]) => [
    ...honest.map((v, i) => ({ clientId: `h${i}`, numSamples: 1, weights: { [K]: f32(...v) }, meanLoss: 0 })),
    ...attackers.map((v, i) => ({ clientId: `x${i}`, numSamples: 1000, weights: { [K]: f32(...v) }, meanLoss: 0 })),
  ];
  const g: WeightMap = { [K]: f32(0, 0, 0) };

  it('median and trimmed mean stay within the honest range per coordinate', () => {
    fc.assert(
      fc.property(honestAndAttackers, ({ honest, attackers }) => {
        const all = replies(honest, attackers);
        const beta = 0.49;
        const specs: AggregatorSpec[] = [{ name: 'median' }];
        // Trimming guarantees it only when the attackers fit in the trimmed count.
        if (attackers.length <= Math.floor(beta * all.length)) specs.push({ name: 'trimmed-mean', beta });
        for (const spec of specs) {
          const out = aggregate(spec, g, all).weights[K];
          for (let c = 0; c < 3; c++) {
            const column = honest.map((v) => Math.fround(v[c]));
            expect(out[c]).toBeGreaterThanOrEqual(Math.min(...column) - 1e-4);
            expect(out[c]).toBeLessThanOrEqual(Math.max(...column) + 1e-4);
          }
        }
      }),
      { numRuns: 200, seed: 14 },
    );
  });

  it('krum never keeps an attacker placed far from a tight honest group', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 }), fc.double({ min: 50, max: 1e4, noNaN: true }), (f, far) => {
        const honest = Array.from({ length: 2 * f + 3 }, (_, i) => [i * 0.1, -i * 0.1, 0]);
        const attackers = Array.from({ length: f }, (_, i) => [far + i, far, -far]);
        const out = aggregate({ name: 'krum', f }, g, replies(honest, attackers));
        const kept = out.weights[K];
        expect(Math.abs(kept[0])).toBeLessThan(1);
        expect(out.notes.filter((n) => n.clientId.startsWith('x')).length).toBe(f);
      }),
      { numRuns: 100, seed: 15 },
    );
  });
});

describe('choosing an aggregator', () => {
  it('--set aggregator=… reaches every strategy through the seam, and the run records it', async () => {
    const { runInMemory } = await import('../../src/testing/index.js');
    const { kitScenario } = await import('../helpers/kit-scenario.js');
    const results: Record<string, string> = {};
    for (const [method, name] of [['unifl', 'fedavg'], ['unifl', 'median'], ['harmony', 'krum'], ['modality-mirror', 'trimmed-mean'], ['multifl', 'norm-clip']] as const) {
      const scenario = kitScenario({ algorithm: { name: method, rounds: 2 }, videoMissingRate: 0.5, server: { aggregator: { name, f: 0, beta: 0.25, tau: 0.01 } } });
      const { result } = await runInMemory(scenario);
      expect(result.rounds.every((r) => r.status === 'ok'), `${method}/${name}`).toBe(true);
      results[`${method}/${name}`] = result.weightsHash;
    }
    // A robust rule gives other weights than FedAvg on the same run.
    const { runInMemory: again } = await import('../../src/testing/index.js');
    const fedavg = (await again(kitScenario({ algorithm: { name: 'unifl', rounds: 2 } }))).result.weightsHash;
    expect(results['unifl/fedavg']).toBe(fedavg);
    expect(results['unifl/median']).not.toBe(fedavg);
  });
});
