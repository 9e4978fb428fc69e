import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/load-scenario.js';
import { runInMemory } from '../../src/testing/index.js';

describe("the README's scenario example", () => {
  it('validates and runs (fake trainer, shortened)', async () => {
    const scenario = await loadScenarioFile('test/fixtures/scenarios/readme-example.ts');
    const { result } = await runInMemory(scenario, { set: ['rounds=6'] });
    expect(result.rounds.map((r) => r.phase)).toEqual([...Array(6).fill('modality-wise'), ...Array(6).fill('distillation')]);
    // A third of the clients dropped 100 ms into phase 2, and round accounting says so.
    expect(result.rounds[6].dropped.some((d) => d.reason === 'dropped mid-round: scenario dropout')).toBe(true);
    // … and they stay away: from then on they are offline when selected.
    expect(result.rounds.slice(7).every((r) => r.dropped.some((d) => d.reason === 'offline when selected'))).toBe(true);
    for (const r of result.rounds) expect(r.succeeded.length + r.dropped.length + r.late.length + r.failed.length).toBe(r.selected.length);
  });
});
