/** rounds.csv and summary.json of a FedBuff run carry each server step's staleness; round-based runs keep their columns. */
import { describe, expect, it } from 'vitest';
import { roundColumns, roundRows, ROUND_COLUMNS } from '../../src/report/round-rows.js';
import { buildRunSummary } from '../../src/report/run-summary.js';
import { toCsv } from '../../src/report/csv.js';
import { runInMemory } from '../../src/testing/index.js';
import { kitScenario } from '../helpers/kit-scenario.js';

describe('staleness in the run outputs', () => {
  it('a FedBuff run adds stalenessMean and stalenessMax after the round columns', async () => {
    const { result, config } = await runInMemory(kitScenario({ algorithm: { name: 'fedbuff', rounds: 4, params: { concurrency: 3, bufferSize: 2 } }, population: { jitterSigma: 0.3, deviceSpeedSigma: 0.8 } }));
    const rows = roundRows(result, 'audio');
    const columns = roundColumns(rows);
    expect(columns).toEqual([...ROUND_COLUMNS, 'stalenessMean', 'stalenessMax']);
    result.rounds.forEach((r, i) => {
      const s = r.contributions!.map((c) => c.staleness);
      expect(rows[i].stalenessMean).toBe(s.reduce((a, b) => a + b, 0) / s.length);
      expect(rows[i].stalenessMax).toBe(Math.max(...s));
    });
    expect(rows.some((r) => r.stalenessMax! > 0)).toBe(true);
    expect(toCsv(rows, columns).split('\n')[0]).toBe(columns.join(','));
    const summary = buildRunSummary(config, result, { workers: 0, scenarioFile: 'kit' });
    expect(summary.rounds.map((r) => r.stalenessMax)).toEqual(rows.map((r) => r.stalenessMax));
    expect(summary.rounds[0].contributions![0]).toHaveProperty('weight');
  });

  it('a round-based run keeps exactly the round columns', async () => {
    const { result, config } = await runInMemory(kitScenario());
    const rows = roundRows(result, 'audio');
    expect(roundColumns(rows)).toEqual([...ROUND_COLUMNS]);
    expect(Object.keys(rows[0])).toEqual([...ROUND_COLUMNS]);
    expect(buildRunSummary(config, result, { workers: 0, scenarioFile: 'kit' }).rounds[0]).not.toHaveProperty('stalenessMean');
  });
});
