// The library's entry points from source (fast; test/package/install.test.ts checks the built package).
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';
import * as testing from '../../src/testing/index.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

describe('the package entry points', () => {
  it('package.json maps ".", "./testing", main, types and bin to files the build emits from existing sources', () => {
    const targets = [pkg.main, pkg.types, pkg.exports['.'].default, pkg.exports['.'].types, pkg.exports['./testing'].default, pkg.exports['./testing'].types];
    for (const target of targets) {
      const source = target.replace(/^\.\/dist\//, '').replace(/\.d\.ts$|\.js$/, '.ts');
      expect(existsSync(source), `${target} ← ${source}`).toBe(true);
    }
    expect(existsSync(pkg.bin['modality-mirror'])).toBe(true);
    expect(pkg.files).toEqual(expect.arrayContaining(['dist/src', 'dist/actors', 'dist/scenarios', 'bin', 'README.md']));
    expect(pkg.scripts.prepare).toMatch(/npm run build/);
    expect(pkg.dependencies.tsx).toBeDefined(); // the CLI loads .ts scenarios with it
  });

  it("'modality-mirror' exports what a user needs, and runScenario runs a scenario with the fake trainer", async () => {
    for (const name of ['defineScenario', 'runScenario', 'runSimulation', 'runGrid', 'loadScenarioFile', 'buildRunConfig', 'loadScenarioData', 'createTrainer', 'writeRunFolder', 'TrainingFailedError', 'ConfigError', 'STRATEGY_NAMES']) {
      expect(api, name).toHaveProperty(name);
    }
    const scenario = api.defineScenario({
      name: 'api', summary: 'api', data: { kind: 'synthetic', numClasses: 3, samplesPerClass: 20, numClients: 4, minSamplesPerClient: 3 },
      algorithm: { name: 'unifl', rounds: 2 }, rounds: { clientsPerRound: 4 },
    });
    const { config, result } = await api.runScenario(scenario, { trainer: 'fake', set: ['rounds=3'] });
    expect(config.settings.rounds).toEqual([3]);
    expect(result).toMatchObject({ complete: true, failure: null, backend: 'fake' });
    await expect(api.runScenario({ ...scenario, videoMissingRate: 2 }, { trainer: 'fake' })).rejects.toThrow(api.ConfigError);
    const failing = new testing.FaultInjectingTrainer(new testing.FakeTrainer({ labels: new Int32Array(60), numClasses: 3 }), { reason: 'no kernel' });
    await expect(api.runScenario(scenario, { trainer: failing })).rejects.toThrow(/all 4 training tasks of round 0 .* failed with the same reason: training failed: no kernel/);
  });

  it("'modality-mirror/testing' exports the kit", () => {
    for (const name of ['runInMemory', 'TraceQuery', 'FakeTrainer', 'FaultInjectingTrainer', 'defineScenario', 'TrainingFailedError']) expect(testing, name).toHaveProperty(name);
  });
});
