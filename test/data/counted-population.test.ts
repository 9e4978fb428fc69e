import { describe, expect, it } from 'vitest';
import { countedRows } from '../../src/data/counted-population.js';
import { validateScenario } from '../../src/scenario/load-scenario.js';
import { runInMemory } from '../../src/testing/index.js';
import { kitScenario } from '../helpers/kit-scenario.js';

const spec = { kind: 'counted' as const, clients: 1_000, samplesPerClient: { min: 2, max: 6 }, numClasses: 3, poolSamples: 64, seed: 5 };

describe('a population declared as a count', () => {
  it('draws each client size from its own stream, ids in string order, sample indices on demand', () => {
    const rows = countedRows(spec);
    expect(rows.size).toBe(1_000);
    expect([rows.idAt(0), rows.idAt(7), rows.idAt(999)]).toEqual(['000', '007', '999']);
    for (let r = 1; r < rows.size; r++) expect(rows.idAt(r - 1) < rows.idAt(r)).toBe(true);
    expect([rows.rankOf('007'), rows.rankOf('7'), rows.rankOf('1000'), rows.rankOf('x')]).toEqual([7, -1, -1, -1]);
    const sizes = [...rows.numSamples];
    expect(Math.min(...sizes)).toBe(2);
    expect(Math.max(...sizes)).toBe(6);
    // The same declaration gives the same sizes (each drawn by keyedUniform(seed, 'client-size', id)).
    expect(countedRows(spec).numSamples).toEqual(rows.numSamples);
    const indices = rows.sampleIndicesAt(3);
    expect(indices).toHaveLength(rows.numSamples[3]);
    expect(indices.every((i) => Number.isInteger(i) && i >= 0 && i < 64)).toBe(true);
  });

  it('runs through the kit with the fake trainer, sampling from the rows, and targets its ids in the timeline', async () => {
    const scenario = kitScenario({
      data: spec,
      rounds: { clientsPerRound: 10 },
      timeline: [{ type: 'slowdown', at: { round: 0 }, target: { clients: ['007'] }, factor: 2 }],
    });
    const a = await runInMemory(scenario);
    const b = await runInMemory(scenario);
    expect(a.result.complete).toBe(true);
    expect(a.result.rounds.map((r) => r.selected.length)).toEqual([10, 10, 10]);
    expect(a.result.rounds.every((r) => r.succeeded.length === 10)).toBe(true);
    expect(a.result.rounds[0].selected.every((id) => /^\d{3}$/.test(id))).toBe(true);
    expect(b.result.traceHash).toBe(a.result.traceHash);
    await expect(runInMemory(kitScenario({ data: spec, timeline: [{ type: 'dropout', at: { round: 0 }, target: { clients: ['7'] } }] })))
      .rejects.toThrow(/timeline\.0\.target\.clients = "7" is invalid: a client id of the dataset \(1000 clients: 000, 001, 002, 003, 004, …\)/);
  });

  it('refuses a bad declaration naming the field', () => {
    expect(() => validateScenario(kitScenario({ data: { ...spec, samplesPerClient: { min: 5, max: 2 } } }), 'my.ts')).toThrow(/my\.ts: data\.samplesPerClient/);
    expect(() => validateScenario(kitScenario({ data: { ...spec, clients: 0 } }), 'my.ts')).toThrow(/my\.ts: data\.clients/);
  });
});

describe('keyedUniform', () => {
  it('is a function of its key alone, in [0, 1), and spread evenly', async () => {
    const { keyedUniform } = await import('../../src/core/keyed-uniform.js');
    expect(keyedUniform(1, 'x', 'a')).toBe(keyedUniform(1, 'x', 'a'));
    expect(keyedUniform(1, 'x', 'a')).not.toBe(keyedUniform(2, 'x', 'a'));
    const draws = Array.from({ length: 10_000 }, (_, i) => keyedUniform(3, 'client-size', String(i)));
    expect(draws.every((u) => u >= 0 && u < 1)).toBe(true);
    // Ten equal bins each hold 10% ± 1.5% of the draws (a loose check that the hash does not clump).
    const bins = new Array<number>(10).fill(0);
    for (const u of draws) bins[Math.floor(u * 10)]++;
    expect(bins.every((b) => Math.abs(b - 1_000) < 150)).toBe(true);
  });
});
