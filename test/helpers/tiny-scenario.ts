/** A tiny real-training scenario (seconds on 2 cores) for reproducibility and smoke tests. */
import { validateScenario } from '../../src/scenario/load-scenario.js';
import type { Scenario, ScenarioInput } from '../../src/scenario/schema.js';

export function tinyScenario(overrides: Partial<ScenarioInput> = {}): Scenario {
  return validateScenario(
    {
      name: 'tiny',
      summary: 'tiny real-training scenario for tests',
      seed: 3,
      data: { kind: 'synthetic', seed: 1, numClasses: 3, samplesPerClass: 24, numClients: 4, alpha: 1, minSamplesPerClient: 4, audioFrames: 8, audioDims: 4, videoFrames: 3, videoDims: 5 },
      videoMissingRate: 0.5,
      model: { convChannels: [4], kernelSize: 3, audioGruUnits: 4, videoGruUnits: 4, headHidden: 4, dropout: 0.1 },
      algorithm: { name: 'unifl', rounds: 2 },
      training: { epochs: 1, batchSize: 8, lr: 0.05 },
      rounds: { clientsPerRound: 2 },
      ...overrides,
    },
    'tiny scenario',
  );
}
