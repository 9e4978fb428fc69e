import { afterAll, describe, expect, it } from 'vitest';
import { buildRunConfig } from '../../src/engine/build-run-config.js';
import { createTrainer } from '../../src/engine/create-trainer.js';
import { loadScenarioData } from '../../src/scenario/prepare-dataset.js';
import { runSimulation } from '../../src/engine/run-simulation.js';
import type { Trainer } from '../../src/protocol/trainer.js';
import { tinyScenario } from '../helpers/tiny-scenario.js';

// Real tfjs training on a tiny model: a FedBuff run is a pure function of (scenario, seed, backend),
// whichever worker finishes first.
describe('FedBuff replay with the real trainer', () => {
  const scenario = tinyScenario({
    algorithm: { name: 'fedbuff', rounds: 4, params: { concurrency: 3, bufferSize: 2 } },
    rounds: { clientsPerRound: 2 },
    population: { deviceSpeedSigma: 0.8, jitterSigma: 0.3 },
  });
  const dataset = loadScenarioData(scenario, 'tiny');
  const config = buildRunConfig(scenario, dataset, 'tiny');
  const trainers: Trainer[] = [];
  afterAll(async () => {
    for (const t of trainers) await t.close();
  });

  it('gives the same traceHash and weightsHash twice and with 1 and 2 workers', async () => {
    const make = async (workers: number) => {
      const t = await createTrainer({ workers, backend: 'wasm' }, dataset.store, config.model);
      trainers.push(t);
      return t;
    };
    const one = await runSimulation(config, await make(1));
    const again = await runSimulation(config, trainers[0]);
    const two = await runSimulation(config, await make(2));
    expect(one.backend).toBe('wasm');
    expect(again.traceHash).toBe(one.traceHash);
    expect(two.traceHash).toBe(one.traceHash);
    expect(two.weightsHash).toBe(one.weightsHash);
    // Real asynchronous training happened: every step applied K = 2 updates, some of them stale.
    expect(one.rounds).toHaveLength(4);
    expect(one.rounds.every((r) => r.status === 'ok' && r.succeeded.length === 2)).toBe(true);
    expect(one.rounds.flatMap((r) => r.contributions ?? []).some((c) => c.staleness > 0)).toBe(true);
    expect(Number.isFinite(one.rounds[0].trainLoss)).toBe(true);
  });
});
