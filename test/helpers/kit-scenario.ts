/** Small scenario inputs for protocol tests with the in-memory kit (fake trainer, tiny synthetic data). */
import type { ScenarioInput } from '../../src/testing/index.js';

export function kitScenario(overrides: Partial<ScenarioInput> = {}): ScenarioInput {
  return {
    name: 'kit',
    summary: 'protocol test',
    seed: 11,
    data: { kind: 'synthetic', seed: 1, numClasses: 3, samplesPerClass: 20, numClients: 4, alpha: 5, minSamplesPerClient: 3, audioFrames: 4, audioDims: 2, videoFrames: 2, videoDims: 2 },
    videoMissingRate: 0,
    algorithm: { name: 'unifl', rounds: 3 },
    rounds: { clientsPerRound: 4 },
    population: { jitterSigma: 0 },
    ...overrides,
  };
}
