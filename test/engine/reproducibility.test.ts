import { afterAll, describe, expect, it } from 'vitest';
import { buildRunConfig } from '../../src/engine/build-run-config.js';
import { createTrainer } from '../../src/engine/create-trainer.js';
import { loadScenarioData } from '../../src/scenario/prepare-dataset.js';
import { runSimulation } from '../../src/engine/run-simulation.js';
import { applyOverrides } from '../../src/scenario/overrides.js';
import type { Trainer } from '../../src/protocol/trainer.js';
import { tinyScenario } from '../helpers/tiny-scenario.js';

// Real tfjs training on a tiny configuration: the run is a pure function of (scenario, seed, backend).
describe('reproducibility with the real trainer', () => {
  const scenario = tinyScenario({ algorithm: { name: 'modality-mirror', rounds: 2 } });
  const dataset = loadScenarioData(scenario, 'tiny');
  const config = buildRunConfig(scenario, dataset, 'tiny');
  const trainers: Trainer[] = [];
  const trainer = async (workers: number) => {
    const t = await createTrainer({ workers, backend: 'wasm' }, dataset.store, config.model);
    trainers.push(t);
    return t;
  };
  afterAll(async () => {
    for (const t of trainers) await t.close();
  });

  it('gives identical traceHash and weightsHash with 1 and 2 workers, and different ones for another seed', async () => {
    const one = await runSimulation(config, await trainer(1));
    const two = await runSimulation(config, await trainer(2));
    expect(one.backend).toBe('wasm');
    expect(two.traceHash).toBe(one.traceHash);
    expect(two.weightsHash).toBe(one.weightsHash);
    // Training really happened: both phases ran and the trace carries real updates.
    expect(one.rounds.map((r) => r.phase)).toEqual(['modality-wise', 'modality-wise', 'distillation', 'distillation']);
    expect(one.rounds.every((r) => r.succeeded.length > 0)).toBe(true);

    const other = buildRunConfig(applyOverrides(scenario, ['seed=4']), dataset, 'tiny');
    const three = await runSimulation(other, trainers[1]);
    expect(three.traceHash).not.toBe(one.traceHash);
    expect(three.weightsHash).not.toBe(one.weightsHash);
  });

  it('gives the same hashes in the main thread as in the pool', async () => {
    const pooled = await runSimulation(config, trainers[0] ?? (await trainer(1)));
    const inline = await runSimulation(config, await trainer(0));
    expect(inline.traceHash).toBe(pooled.traceHash);
    expect(inline.weightsHash).toBe(pooled.weightsHash);
  });
});
