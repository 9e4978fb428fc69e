import { afterAll, describe, expect, it } from 'vitest';
import { buildRunConfig } from '../../src/engine/build-run-config.js';
import { createTrainer } from '../../src/engine/create-trainer.js';
import { loadScenarioData } from '../../src/scenario/prepare-dataset.js';
import { runSimulation } from '../../src/engine/run-simulation.js';
import { validateScenario } from '../../src/scenario/load-scenario.js';
import { applyOverrides } from '../../src/scenario/overrides.js';
import { STRATEGY_NAMES } from '../../src/strategies/registry.js';
import type { Trainer } from '../../src/protocol/trainer.js';

// The committed FedMultimodal-shaped fixture, read as it is on disk, trains every method.
describe('FedMultimodal fixture end to end', () => {
  const scenario = validateScenario(
    {
      name: 'fixture',
      summary: 'FedMultimodal fixture',
      data: { kind: 'fedmultimodal', outputDir: 'test/fixtures/fedmultimodal/output', dataset: 'toyucf', alpha: 0.1, fold: 1, missingFile: 'simulation_feature/toyucf/fold1/mm05_alpha01.json' },
      videoMissingRate: null,
      model: { convChannels: [4], kernelSize: 3, audioGruUnits: 4, videoGruUnits: 4, headHidden: 4 },
      algorithm: { name: 'unifl', rounds: 2 },
      training: { batchSize: 4 },
      rounds: { clientsPerRound: 3 },
      evalBatchSize: 16,
    },
    'fixture scenario',
  );
  const dataset = loadScenarioData(scenario, 'fixture');
  let trainer: Trainer | null = null;
  afterAll(async () => trainer?.close());

  it('loads the fixture with its own missing-video flags', () => {
    expect(dataset.source).toMatch(/^fedmultimodal:/);
    expect(dataset.split.clients.map((c) => c.id)).toEqual([...dataset.split.clients.map((c) => c.id)].sort());
    expect(dataset.split.clients.some((c) => !c.hasVideo)).toBe(true);
    expect(dataset.split.test.length).toBeGreaterThan(0);
  });

  it('trains a few rounds of every method', async () => {
    trainer = await createTrainer({ workers: 0, backend: 'wasm' }, dataset.store, buildRunConfig(scenario, dataset, 'fixture').model);
    for (const method of STRATEGY_NAMES) {
      const config = buildRunConfig(applyOverrides(scenario, [`algorithm.name=${method}`]), dataset, 'fixture');
      const result = await runSimulation(config, trainer);
      expect(result.rounds.length).toBe(config.settings.rounds.reduce((a, b) => a + b, 0));
      expect(result.rounds.every((r) => r.status === 'ok' && r.succeeded.length > 0)).toBe(true);
      expect(result.headline?.accuracy).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(result.rounds[0].trainLoss)).toBe(true);
    }
  });
});
