import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { buildRunConfig } from '../../src/engine/build-run-config.js';
import { loadScenarioData } from '../../src/scenario/prepare-dataset.js';
import { validateScenario } from '../../src/scenario/load-scenario.js';
import { applyOverrides } from '../../src/scenario/overrides.js';
import type { ScenarioInput } from '../../src/scenario/schema.js';
import { kitScenario } from '../helpers/kit-scenario.js';

/** Validates and resolves a scenario the way the CLI does before any training; returns the error. */
function refusal(input: ScenarioInput): ConfigError {
  try {
    const scenario = validateScenario(input, 'my.ts');
    buildRunConfig(scenario, loadScenarioData(scenario, 'my.ts'), 'my.ts');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('the scenario was accepted');
}

describe('a bad scenario is refused before any training, naming the field, the value and what is allowed', () => {
  it('an unknown client id', () => {
    const e = refusal(kitScenario({ timeline: [{ type: 'dropout', at: { round: 1 }, target: { clients: ['0', '42'] } }] }));
    expect(e.message).toMatch(/^my\.ts: timeline\.0\.target\.clients = "42" is invalid: a client id of the dataset \(4 clients: 0, 1, 2, 3\)$/);
  });

  it('a rate outside [0, 1]', () => {
    const e = refusal(kitScenario({ timeline: [{ type: 'modalityLoss', modality: 'video', at: { round: 0 }, target: { rate: -0.1 } }] }));
    expect(e.field).toBe('timeline.0.target.rate');
    expect(e.value).toBe(-0.1);
    expect(e.message).toMatch(/>=0/);
  });

  it('a negative time', () => {
    const e = refusal(kitScenario({ timeline: [{ type: 'slowdown', at: { timeMs: -5 }, target: { clients: ['1'] }, factor: 2 }] }));
    expect(e.message).toMatch(/^my\.ts: timeline\.0\.at(\.timeMs)? = /);
    expect(e.message).toMatch(/-5|timeMs/);
  });

  it('an event for a phase the algorithm does not have', () => {
    const e = refusal(kitScenario({ algorithm: { name: 'unifl', rounds: 2 }, timeline: [{ type: 'dropout', at: { phase: 'distillation' }, target: { rate: 0.3 } }] }));
    expect(e.message).toBe('my.ts: timeline.0.at.phase = "distillation" is invalid: a phase of algorithm unifl: fedavg, phase1, first, last, both');
    const phase2 = refusal(kitScenario({ algorithm: { name: 'multifl', rounds: 2 }, timeline: [{ type: 'dropout', at: { phase: 'phase2' }, target: { rate: 0.3 } }] }));
    expect(phase2.field).toBe('timeline.0.at.phase');
  });

  it('a deadline <= 0', () => {
    const e = refusal(kitScenario({ rounds: { deadlineMs: 0 } }));
    expect(e.field).toBe('rounds.deadlineMs');
    expect(e.value).toBe(0);
    expect(e.message).toMatch(/>0/);
  });

  it('an unknown field, and a bad --set value, name where they came from', () => {
    expect(refusal({ ...kitScenario(), rounds: { clientsPerRound: 2, deadline: 5 } as never }).message).toBe('my.ts: rounds.deadline = 5 is invalid: unknown field');
    const scenario = validateScenario(kitScenario(), 'my.ts');
    expect(() => applyOverrides(scenario, ['temperature=0'])).toThrow('--set temperature=0: algorithm.params.temperature = 0 is invalid: the distillation temperature, > 0');
    expect(() => applyOverrides(scenario, ['algorithm.params.beta=1'])).toThrow(/algorithm\.params\.beta = 1 is invalid: unknown parameter; known: clusters, alpha, temperature, lr2, concurrency, bufferSize, stalenessExponent, globalLr, evalEvery, mu/);
  });
});
