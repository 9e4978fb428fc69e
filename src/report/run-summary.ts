/**
 * summary.json of one run: identity (scenario, seed, backend, workers, hashes), every parameter
 * used, per-round accounting and metrics, the final scores, and time-to-accuracy in virtual time.
 */
import { populationCounts, populationOf } from '../data/client-rows.js';
import type { RunConfig } from '../engine/run-config.js';
import type { RunResult } from '../engine/run-simulation.js';
import { stalenessSummary } from '../../actors/staleness-summary.js';
import { recordedTimeline } from './timeline-summary.js';

/** Time (virtual) and round at which the headline test accuracy first reached a share of its best. */
export interface TimeToAccuracy {
  share: number;
  accuracy: number;
  round: number | null;
  atMs: number | null;
}

/** First eval record reaching each share of the best headline test accuracy. */
export function timeToAccuracy(result: RunResult, headline: string, shares = [0.5, 0.9, 1]): TimeToAccuracy[] {
  const points = result.evals.filter((e) => e.scores[headline]).map((e) => ({ round: e.round, atMs: e.atMs, accuracy: e.scores[headline].test.accuracy }));
  const best = Math.max(0, ...points.map((p) => p.accuracy));
  return shares.map((share) => {
    const hit = points.find((p) => p.accuracy >= share * best - 1e-12);
    return { share, accuracy: share * best, round: hit?.round ?? null, atMs: hit?.atMs ?? null };
  });
}

/** The parameters of a run, as recorded (no data arrays). */
export function runParameters(config: RunConfig) {
  const { split, store, source } = config.dataset;
  return {
    algorithm: config.strategy.name,
    phases: config.strategy.phases,
    roundsPerPhase: config.settings.rounds,
    hyper: config.settings.hyper,
    params: config.settings.params,
    server: config.settings.server ?? { kind: 'fedavg' },
    aggregator: config.settings.aggregator ?? { name: 'fedavg' },
    rules: config.rules,
    cost: config.cost,
    model: config.model,
    evalBatchSize: config.evalBatchSize,
    computeDoomed: config.computeDoomed,
    // Long client lists (rate targets over large populations) as count, first ids and hash.
    timeline: recordedTimeline(config.timeline),
    data: {
      source,
      name: store.name,
      numSamples: store.numSamples,
      numClasses: store.numClasses,
      classNames: store.classNames,
      audio: { frames: store.audio.frames, dims: store.audio.dims },
      video: store.video ? { frames: store.video.frames, dims: store.video.dims } : null,
      ...populationCounts(populationOf(config.dataset)),
      dev: split.dev.length,
      test: split.test.length,
    },
  };
}

/** The whole summary object. */
export function buildRunSummary(config: RunConfig, result: RunResult, extra: { workers: number; scenarioFile: string; wallTimeMs?: number }) {
  const headline = config.strategy.headline;
  return {
    scenario: config.scenario,
    scenarioFile: extra.scenarioFile,
    seed: config.seed,
    backend: result.backend,
    workers: extra.workers,
    traceHash: result.traceHash,
    weightsHash: result.weightsHash,
    events: result.events,
    virtualTimeMs: result.virtualTimeMs,
    wallTimeMs: extra.wallTimeMs ?? null,
    parameters: runParameters(config),
    final: result.headline ? { [config.strategy.name]: result.headline } : {},
    models: result.final,
    timeToAccuracy: timeToAccuracy(result, headline),
    clientUpdates: result.rounds.reduce((s, r) => s + r.succeeded.length, 0),
    // A buffered run's steps also say how stale their updates were (each update's own is in `contributions`).
    rounds: result.rounds.map((r) => ({ ...r, ...(r.contributions ? stalenessSummary(r.contributions) : {}), metrics: result.evals.find((e) => e.round === r.round)?.scores ?? null })),
  };
}
