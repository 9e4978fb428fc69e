/**
 * Scenarios for checkpoint tests: small and synthetic, with everything a checkpoint must carry —
 * stragglers still training when a round closes (deadline and over-selection), a timed dropout whose
 * rejoin is pending across round boundaries, a dropout placed inside a round, slow and lossy links.
 */
import type { ScenarioInput } from '../../src/scenario/schema.js';
import { kitScenario } from './kit-scenario.js';

/** A protocol-heavy scenario for `method` (fake trainer), `rounds` per phase. */
export function stormyScenario(method: 'unifl' | 'modality-mirror', rounds: number): ScenarioInput {
  return kitScenario({
    name: `stormy-${method}`,
    data: { kind: 'synthetic', seed: 2, numClasses: 3, samplesPerClass: 24, numClients: 8, alpha: 5, minSamplesPerClient: 3, audioFrames: 4, audioDims: 2, videoFrames: 2, videoDims: 2 },
    videoMissingRate: 0.4,
    algorithm: { name: method, rounds },
    rounds: { clientsPerRound: 4, overSelection: 1.5, deadlineMs: 260, minReplies: 1 },
    population: { jitterSigma: 0.3, deviceSpeedSigma: 0.9, latencyMs: 20, deviceClasses: [{ name: 'old-phone', share: 0.3, speed: 0.1 }] },
    timeline: [
      { type: 'dropout', at: { timeMs: 150 }, target: { clients: ['1', '4'] }, durationMs: 900, reason: 'timed outage' },
      { type: 'dropout', at: { round: 2, offsetMs: 40 }, target: { clients: ['6'] }, durationRounds: 2, reason: 'mid-round dropout' },
      { type: 'slowdown', at: { round: 1 }, target: { clients: ['2'] }, factor: 6 },
      { type: 'linkLoss', at: { round: 1 }, target: { clients: ['3'] }, probability: 0.5 },
    ],
  });
}
