/**
 * Writes a run folder: summary.json, trace.jsonl (every delivered event, arrays as digests),
 * trace.msgpack (the same records in the canonical encoding the trace hash is taken over) and
 * rounds.csv (one line per round with accounting and headline metrics).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunConfig } from '../engine/run-config.js';
import type { RunResult } from '../engine/run-simulation.js';
import { encode } from '../core/codec.js';
import { toCsv } from '../report/csv.js';
import { toJsonl } from '../report/jsonl.js';
import { buildRunSummary } from '../report/run-summary.js';

/**
 * Writes the run's files into `dir` (created if needed) and returns the summary. A run that could
 * not train is written too, as `complete: false` with its `failure` and no `final` score; the
 * per-round records and scores it did compute are kept.
 */
export function writeRunFolder(dir: string, config: RunConfig, result: RunResult, extra: { workers: number; scenarioFile: string; wallTimeMs: number }) {
  mkdirSync(dir, { recursive: true });
  const built = buildRunSummary(config, result, extra);
  const complete = result.complete !== false;
  const summary = { complete, failure: result.failure ?? null, ...built, final: complete ? built.final : null };
  writeFileSync(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(join(dir, 'trace.jsonl'), toJsonl([...result.trace]));
  // The canonical bytes the trace hash is taken over: `sha256sum trace.msgpack` prints traceHash.
  writeFileSync(join(dir, 'trace.msgpack'), Buffer.concat(result.trace.map((record) => encode(record))));
  const headline = config.strategy.headline;
  const rows = result.rounds.map((r) => {
    const scores = result.evals.find((e) => e.round === r.round)?.scores[headline];
    return {
      round: r.round, phase: r.phase, status: r.status, startedAtMs: r.startedAtMs, closedAtMs: r.closedAtMs,
      selected: r.selected.length, succeeded: r.succeeded.length, dropped: r.dropped.length, late: r.late.length, failed: r.failed.length,
      trainLoss: r.trainLoss, devAccuracy: scores?.dev?.accuracy ?? null, testAccuracy: scores?.test.accuracy ?? null, testMacroF1: scores?.test.macroF1 ?? null,
    };
  });
  writeFileSync(join(dir, 'rounds.csv'), toCsv(rows, Object.keys(rows[0] ?? { round: 0 }) as Array<keyof (typeof rows)[number] & string>));
  return summary;
}
