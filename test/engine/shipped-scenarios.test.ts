import { readdirSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRunConfig } from '../../src/engine/build-run-config.js';
import { createTrainer } from '../../src/engine/create-trainer.js';
import { loadScenarioData } from '../../src/scenario/prepare-dataset.js';
import { runSimulation } from '../../src/engine/run-simulation.js';
import { loadScenarioFile } from '../../src/scenario/load-scenario.js';
import { applyOverrides } from '../../src/scenario/overrides.js';
import type { Trainer } from '../../src/protocol/trainer.js';

// Every shipped scenario on the small synthetic data (the large ones are benchmarks), shortened to a
// few rounds, with the real trainer: 1 and 2 workers must give the same hashes.
const SMALL = ['default', 'dropout', 'dropout-study', 'byzantine', 'stragglers', 'stragglers-fedbuff', 'video-loss', 'flaky-links'];

describe('shipped scenarios', () => {
  const trainers: Trainer[] = [];
  afterAll(async () => {
    for (const t of trainers) await t.close();
  });

  it('are all listed, and the small ones give identical hashes with 1 and 2 workers', async () => {
    const files = readdirSync('scenarios').filter((f) => f.endsWith('.ts') && !f.startsWith('_'));
    expect(files.map((f) => f.replace('.ts', '')).sort()).toEqual([...SMALL, 'fedmultimodal-ucf101', 'ucf101-scale'].sort());
    const scenarios = await Promise.all(SMALL.map(async (name) => applyOverrides(await loadScenarioFile(`scenarios/${name}.ts`), ['rounds=2', 'data.samplesPerClass=60', 'data.minSamplesPerClient=4'])));
    // They share one data block, so one store and one pair of pools serve all of them.
    for (const s of scenarios) expect(isDeepStrictEqual(s.data, scenarios[0].data)).toBe(true);
    const dataset = loadScenarioData(scenarios[0], 'scenarios');
    const model = buildRunConfig(scenarios[0], dataset, 'scenarios').model;
    const [one, two] = [await createTrainer({ workers: 1, backend: 'wasm' }, dataset.store, model), await createTrainer({ workers: 2, backend: 'wasm' }, dataset.store, model)];
    trainers.push(one, two);
    for (const scenario of scenarios) {
      const config = buildRunConfig(scenario, dataset, scenario.name);
      expect(config.model).toEqual(model);
      const [a, b] = [await runSimulation(config, one, { retainTrace: false }), await runSimulation(config, two, { retainTrace: false })];
      expect({ name: scenario.name, trace: b.traceHash, weights: b.weightsHash }).toEqual({ name: scenario.name, trace: a.traceHash, weights: a.weightsHash });
      expect(a.rounds.some((r) => r.succeeded.length > 0)).toBe(true);
    }
  });
});
