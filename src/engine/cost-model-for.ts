/** The cost model of a scenario: its population settings laid over the defaults. */
import type { Scenario } from '../scenario/schema.js';
import { DEFAULT_COST, type CostModelParams } from '../sim/cost-model.js';

/** The scenario's cost model (population settings over DEFAULT_COST). */
export function costModelFor(scenario: Scenario): CostModelParams {
  const p = scenario.population;
  return {
    ...DEFAULT_COST,
    msPerSample: { ...DEFAULT_COST.msPerSample, ...p.msPerSample },
    deviceSpeedSigma: p.deviceSpeedSigma,
    jitterSigma: p.jitterSigma,
    bandwidthBytesPerMs: p.bandwidthBytesPerMs,
    latencyMs: p.latencyMs,
    deviceClasses: p.deviceClasses,
  };
}

