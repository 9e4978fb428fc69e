/**
 * Sweeps: the grid is the product of the varied fields × methods × seeds (× missing rates); every
 * cell is recorded with its resolved scenario; a cell store makes a rerun skip finished cells with
 * identical records; varied values reach the run (the dropout rate changes the dropped counts).
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { CellStore } from '../../src/engine/cell-store.js';
import { loadScenarioData } from '../../src/scenario/prepare-dataset.js';
import { runSweep } from '../../src/engine/run-sweep.js';
import { parseVary, sweepCells, type SweepSpec } from '../../src/engine/sweep-cells.js';
import { validateScenario } from '../../src/scenario/load-scenario.js';
import { FakeTrainer } from '../../src/train/fake-trainer.js';
import { kitScenario } from '../helpers/kit-scenario.js';

const scenario = validateScenario(
  kitScenario({
    data: { kind: 'synthetic', seed: 1, numClasses: 3, samplesPerClass: 40, numClients: 10, alpha: 5, minSamplesPerClient: 3, audioFrames: 4, audioDims: 2, videoFrames: 2, videoDims: 2 },
    algorithm: { name: 'unifl', rounds: 3 },
    rounds: { clientsPerRound: 10 },
    timeline: [{ id: 'dropout', type: 'dropout', at: { progress: 0.5 }, target: { rate: 0 } }],
  }),
  'kit.ts',
);

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('accepted');
}

describe('sweep cells', () => {
  it('are the product of the varied values, missing rates, methods and seeds, in a fixed order', () => {
    const spec: SweepSpec = { vary: [parseVary('dropout.target.rate=0,0.5', scenario)], methods: ['unifl', 'modality-mirror'], seeds: [1, 2], missingRates: [0.3] };
    const cells = sweepCells(spec);
    expect(cells).toHaveLength(8);
    expect(cells[0]).toMatchObject({ index: 1, total: 8, method: 'unifl', seed: 1, missingRate: 0.3, vary: { 'dropout.target.rate': 0 } });
    expect(cells[0].assignments).toEqual(['dropout.target.rate=0', 'algorithm.name=unifl', 'seed=1', 'videoMissingRate=0.3']);
    expect(cells.map((c) => `${c.seed}/${c.vary['dropout.target.rate']}/${c.method}`)).toEqual([
      '1/0/unifl', '1/0/modality-mirror', '1/0.5/unifl', '1/0.5/modality-mirror',
      '2/0/unifl', '2/0/modality-mirror', '2/0.5/unifl', '2/0.5/modality-mirror',
    ]);
    expect(sweepCells({ ...spec, missingRates: null })[0].assignments).toEqual(['dropout.target.rate=0', 'algorithm.name=unifl', 'seed=1']);
  });

  it('refuse what one sweep cannot vary, unknown keys, and repeated or empty values', () => {
    expect(refusal(() => parseVary('data.numClients=4,8', scenario))).toMatch(/^--vary: data\.numClients = "4,8" is invalid: a field outside data\.\* and model\.\*/);
    expect(refusal(() => parseVary('seed=1,2', scenario))).toMatch(/use --methods, --seeds, --missing/);
    expect(refusal(() => parseVary('dropuot.target.rate=0,1', scenario))).toMatch(/a key --set accepts/);
    expect(refusal(() => parseVary('dropout.target.rate=0,,1', scenario))).toMatch(/without empty entries/);
    expect(refusal(() => parseVary('dropout.target.rate=0.1,0.1', scenario))).toMatch(/distinct values/);
    expect(refusal(() => parseVary('lr', scenario))).toMatch(/PATH=v1,v2/);
  });
});

describe('runSweep', () => {
  it('records every cell, reaches the varied field, and reuses finished cells on a rerun', async () => {
    const dataset = loadScenarioData(scenario, 'kit.ts');
    const trainer = new FakeTrainer({ labels: dataset.store.labels, numClasses: 3 });
    const spec: SweepSpec = { vary: [parseVary('dropout.target.rate=0,0.6', scenario)], methods: ['unifl', 'modality-mirror'], seeds: [1, 2], missingRates: null };
    const store = new CellStore(join(mkdtempSync(join(tmpdir(), 'sweep-')), 'cells'));
    const first = await runSweep(scenario, dataset, trainer, spec, 'kit.ts', {}, { store, version: 'test' });
    expect(first.reused).toBe(0);
    expect(first.records).toHaveLength(8);
    expect(readdirSync(store.dir)).toHaveLength(8);
    for (const r of first.records) {
      expect(r.scenario.timeline[0].target.rate).toBe(r.vary['dropout.target.rate']);
      const dropped = r.participation.reduce((s, p) => s + p.dropped, 0);
      if (r.vary['dropout.target.rate'] === 0) expect(dropped, r.method).toBe(0);
      else expect(dropped, r.method).toBeGreaterThan(0);
      for (const p of r.participation) expect(p.succeeded + p.dropped + p.late + p.failed).toBe(p.selected);
    }
    const again = await runSweep(scenario, dataset, trainer, spec, 'kit.ts', {}, { store, version: 'test' });
    expect(again.reused).toBe(8);
    expect(again.records).toEqual(first.records);
    // Another version (or backend, or scenario) is another key: nothing is reused.
    const other = await runSweep(scenario, dataset, trainer, { ...spec, seeds: [1] }, 'kit.ts', {}, { store, version: 'other' });
    expect(other.reused).toBe(0);
    expect(other.records.map((r) => r.traceHash)).toEqual(first.records.slice(0, 4).map((r) => r.traceHash));
  });
});

describe('runSweep with concurrency', () => {
  it('K cells at once on one trainer give the same records, in the same order, as one at a time', async () => {
    const dataset = loadScenarioData(scenario, 'kit.ts');
    const spec: SweepSpec = { vary: [parseVary('dropout.target.rate=0,0.6', scenario)], methods: ['unifl', 'modality-mirror', 'harmony'], seeds: [1, 2], missingRates: [0.5] };
    const one = await runSweep(scenario, dataset, new FakeTrainer({ labels: dataset.store.labels, numClasses: 3 }), spec, 'kit.ts');
    const three = await runSweep(scenario, dataset, new FakeTrainer({ labels: dataset.store.labels, numClasses: 3 }), spec, 'kit.ts', {}, undefined, 3);
    expect(three.records.map((r) => [r.method, r.seed, r.traceHash, r.weightsHash])).toEqual(one.records.map((r) => [r.method, r.seed, r.traceHash, r.weightsHash]));
    expect(three.records).toEqual(one.records);
  });
});

describe('runSweep with concurrency on a real worker pool', () => {
  it('two cells at once on two tfjs workers give the hashes of one at a time', async () => {
    const { createTrainer } = await import('../../src/engine/create-trainer.js');
    const { buildRunConfig } = await import('../../src/engine/build-run-config.js');
    const { applyOverrides } = await import('../../src/scenario/overrides.js');
    const { loadScenarioFile } = await import('../../src/scenario/load-scenario.js');
    const base = applyOverrides(await loadScenarioFile('scenarios/default.ts'), ['rounds=2', 'data.samplesPerClass=40', 'data.minSamplesPerClient=4', 'data.numClients=6', 'clientsPerRound=0.5']);
    const dataset = loadScenarioData(base, 'default');
    const trainer = await createTrainer({ workers: 2, backend: 'wasm' }, dataset.store, buildRunConfig(base, dataset, 'default').model);
    try {
      const spec: SweepSpec = { vary: [], methods: ['unifl', 'modality-mirror'], seeds: [1, 2], missingRates: null };
      const one = await runSweep(base, dataset, trainer, spec, 'default');
      const two = await runSweep(base, dataset, trainer, spec, 'default', {}, undefined, 2);
      expect(two.records.map((r) => [r.method, r.seed, r.traceHash, r.weightsHash])).toEqual(one.records.map((r) => [r.method, r.seed, r.traceHash, r.weightsHash]));
    } finally {
      await trainer.close();
    }
  }, 120_000);
});
