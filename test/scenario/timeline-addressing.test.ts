/**
 * Timeline fields are addressable by event id and by index through --set (and so --vary), and the
 * placements every method accepts ({phase: 'first' | 'last'}, {progress}) resolve per method.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { buildRunConfig } from '../../src/engine/build-run-config.js';
import { loadScenarioData } from '../../src/scenario/prepare-dataset.js';
import { roundAtProgress } from '../../src/engine/resolve-timeline.js';
import { validateScenario } from '../../src/scenario/load-scenario.js';
import { applyOverrides, resolveKey } from '../../src/scenario/overrides.js';
import type { TimelineEventSpec } from '../../src/scenario/timeline-schema.js';
import { kitScenario } from '../helpers/kit-scenario.js';

const scenario = validateScenario(
  kitScenario({
    timeline: [
      { id: 'dropout', type: 'dropout', at: { phase: 'last' }, target: { rate: 0.25 } },
      { type: 'slowdown', at: { progress: 0.5 }, target: { clients: ['1'] }, factor: 3 },
    ],
  }),
  'kit.ts',
);

function refusal(f: () => unknown): ConfigError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('accepted');
}

describe('addressing timeline fields', () => {
  it('by id and by index, for --set', () => {
    expect(resolveKey(scenario, 'dropout.target.rate', '--set')).toBe('timeline.0.target.rate');
    expect(resolveKey(scenario, 'timeline.1.factor', '--set')).toBe('timeline.1.factor');
    expect(resolveKey(scenario, 'nothing.target.rate', '--set')).toBeNull();
    const changed = applyOverrides(scenario, ['dropout.target.rate=0.5', 'timeline.1.factor=4', 'dropout.at.phase=first']);
    expect(changed.timeline[0].target.rate).toBe(0.5);
    expect((changed.timeline[1] as Extract<TimelineEventSpec, { type: 'slowdown' }>).factor).toBe(4);
    expect(changed.timeline[0].at).toEqual({ phase: 'first', offsetMs: 0 });
    expect(scenario.timeline[0].target.rate).toBe(0.25); // the original is untouched
  });

  it('refuses an unknown id naming the ids there are, and a bad value naming the path', () => {
    const unknown = refusal(() => applyOverrides(scenario, ['dropuot.target.rate=0.5']));
    expect(unknown.message).toMatch(/dropout\.…/);
    const bad = refusal(() => applyOverrides(scenario, ['dropout.target.rate=2']));
    expect(bad.message).toMatch(/^--set dropout\.target\.rate=2: timeline\.0\.target\.rate = 2 is invalid/);
  });

  it('refuses duplicate ids and ids that shadow a section or short key', () => {
    const twice = refusal(() => validateScenario(kitScenario({ timeline: [
      { id: 'a', type: 'rejoin', at: { round: 0 }, target: { clients: ['1'] } },
      { id: 'a', type: 'rejoin', at: { round: 1 }, target: { clients: ['1'] } },
    ] }), 'kit.ts'));
    expect(twice.message).toMatch(/timeline\.1\.id .*already used by timeline\.0/);
    const shadow = refusal(() => validateScenario(kitScenario({ timeline: [{ id: 'model', type: 'rejoin', at: { round: 0 }, target: { clients: ['1'] } }] }), 'kit.ts'));
    expect(shadow.message).toMatch(/^kit\.ts: timeline\.0\.id = "model" is invalid/);
  });
});

describe('placements every method accepts', () => {
  const placed = (method: string) => {
    const s = applyOverrides(scenario, [`algorithm.name=${method}`, 'rounds=4']);
    return buildRunConfig(s, loadScenarioData(s, 'kit.ts'), 'kit.ts').timeline;
  };

  it('phase first / last name the method\'s own phases', () => {
    expect(placed('unifl')[0].at).toEqual({ phase: 'fedavg', offsetMs: 0 });
    expect(placed('multifl')[0].at).toEqual({ phase: 'fedavg', offsetMs: 0 });
    expect(placed('harmony')[0].at).toEqual({ phase: 'fusion', offsetMs: 0 });
    expect(placed('modality-mirror')[0].at).toEqual({ phase: 'distillation', offsetMs: 0 });
    const first = applyOverrides(scenario, ['algorithm.name=modality-mirror', 'dropout.at.phase=first']);
    expect(buildRunConfig(first, loadScenarioData(first, 'kit.ts'), 'kit.ts').timeline[0].at).toEqual({ phase: 'modality-wise', offsetMs: 0 });
  });

  it('progress is the round at that fraction of the method\'s own rounds', () => {
    expect(placed('unifl')[1].at).toEqual({ round: 2, offsetMs: 0 }); // 4 rounds
    expect(placed('modality-mirror')[1].at).toEqual({ round: 4, offsetMs: 0 }); // 4 + 4 rounds
    expect(roundAtProgress(0, [10])).toBe(0);
    expect(roundAtProgress(0.99, [10])).toBe(9);
    expect(roundAtProgress(0.5, [3, 2])).toBe(2);
    expect(roundAtProgress(0.5, [])).toBe(0);
  });

  it('a progress of 1 or more is refused', () => {
    const e = refusal(() => applyOverrides(scenario, ['timeline.1.at.progress=1']));
    expect(e.message).toMatch(/timeline\.1\.at/);
  });
});
