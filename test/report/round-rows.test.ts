/**
 * rounds.csv counts every outcome of a round, rejected updates included, so the file's columns add
 * up to the clients selected, as summary.json's accounting does.
 */
import { describe, expect, it } from 'vitest';
import { roundRows, ROUND_COLUMNS } from '../../src/report/round-rows.js';
import { toCsv } from '../../src/report/csv.js';
import { runInMemory } from '../../src/testing/index.js';
import { kitScenario } from '../helpers/kit-scenario.js';

describe('rounds.csv rows', () => {
  it('count rejected updates in their own column, and the columns add up to the selected clients', async () => {
    const scenario = kitScenario({
      algorithm: { name: 'unifl', rounds: 3 },
      timeline: [{ type: 'misbehave', kind: 'nan', at: { round: 1 }, target: { clients: ['2'] } }] as never,
    });
    const { result } = await runInMemory(scenario);
    const rows = roundRows(result, 'audio');
    expect(rows.map((r) => r.rejected)).toEqual([0, 1, 1]);
    for (const r of rows) expect(r.succeeded + r.dropped + r.late + r.failed + r.rejected).toBe(r.selected);
    expect(rows.every((r) => r.testAccuracy !== null)).toBe(true);
    const csv = toCsv(rows, [...ROUND_COLUMNS]).trim().split('\n');
    expect(csv[0]).toBe(ROUND_COLUMNS.join(','));
    expect(csv[2].split(',')[ROUND_COLUMNS.indexOf('rejected')]).toBe('1');
  });

  it('keep the full header for a run that closed no round', () => {
    const csv = toCsv(roundRows({ rounds: [], evals: [] }, 'unifl'), [...ROUND_COLUMNS]).trim();
    expect(csv).toBe(ROUND_COLUMNS.join(','));
  });
});
