/** A RunConfig for protocol tests with the fake trainer. */
import { DEFAULT_COST } from '../../src/sim/cost-model.js';
import type { RunConfig } from '../../src/engine/run-config.js';
import type { PhaseState, Strategy } from '../../src/strategies/strategy.js';
import { tinyDataset } from './tiny-dataset.js';

export function fakeConfig(strategy: Strategy<PhaseState>, overrides: Partial<RunConfig> = {}): RunConfig {
  return {
    scenario: 'test',
    seed: 7,
    strategy,
    settings: { seed: 7, rounds: [2], params: {}, hyper: { epochs: 1, batchSize: 2, lr: 0.1, momentum: 0.9, weightDecay: 0, clipNorm: 0 } },
    rules: { clientsPerRound: 2, fractionOf: 'population', overSelection: 1, deadlineMs: null, minReplies: 1 },
    cost: { ...DEFAULT_COST, jitterSigma: 0 },
    model: { numClasses: 3, audio: { frames: 2, dims: 2, convChannels: [2], kernelSize: 1, gruUnits: 2 }, video: { frames: 2, dims: 2, gruUnits: 2 }, headHidden: 2, dropout: 0 },
    dataset: tinyDataset(),
    evalBatchSize: 4,
    timeline: [],
    computeDoomed: false,
    ...overrides,
  };
}
