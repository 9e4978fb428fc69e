/**
 * Resolves a scenario's timeline against the dataset and the algorithm: client ids must exist,
 * phases must be the algorithm's, rate targets are drawn from (seed, 'timeline', event index) so
 * adding an event never changes which clients another one picks.
 */
import { ConfigError } from '../core/errors.js';
import { rng } from '../core/seed-streams.js';
import { HAS_VIDEO, idsOf, populationOf } from '../data/client-rows.js';
import type { LoadedDataset } from '../data/types.js';
import type { ClientEvent } from '../protocol/messages.js';
import type { Misbehaviour } from '../protocol/misbehave.js';
import type { Scenario } from '../scenario/schema.js';
import type { TimelineEventSpec } from '../scenario/timeline-schema.js';
import { deviceClassOf } from '../sim/cost-model.js';
import type { PhaseState, Strategy } from '../strategies/strategy.js';
import { costModelFor } from './cost-model-for.js';
import type { FireAt, TimelineEvent } from '../protocol/timeline.js';

/** Maps a phase written in a scenario (its name, `phase1`/`phase2`, `first`, `last` or `both`) to the algorithm's phase names. */
export function resolvePhases(phase: string, strategy: Strategy<PhaseState>, source: string, field: string): string[] {
  if (phase === 'both') return [...strategy.phases];
  if (phase === 'first') return [strategy.phases[0]];
  if (phase === 'last') return [strategy.phases[strategy.phases.length - 1]];
  const numbered = /^phase(\d+)$/.exec(phase);
  const name = numbered ? strategy.phases[Number(numbered[1]) - 1] : strategy.phases.includes(phase) ? phase : undefined;
  if (!name) {
    const allowed = [...strategy.phases, ...strategy.phases.map((_, i) => `phase${i + 1}`), 'first', 'last', 'both'].join(', ');
    throw new ConfigError(source, field, phase, `a phase of algorithm ${strategy.name}: ${allowed}`);
  }
  return [name];
}

function clientEvent(spec: TimelineEventSpec): ClientEvent {
  const reason = spec.reason ?? `scenario ${spec.type}`;
  switch (spec.type) {
    case 'dropout': return { type: 'client/dropout', reason };
    case 'rejoin': return { type: 'client/rejoin', reason };
    case 'modalityLoss': return { type: 'client/modality-loss', modality: spec.modality, reason };
    case 'modalityRestore': return { type: 'client/modality-restore', modality: spec.modality, reason };
    case 'slowdown': return { type: 'client/slowdown', factor: spec.factor, reason };
    case 'linkDelay': return { type: 'client/link', delayMs: spec.delayMs, reason };
    case 'linkLoss': return { type: 'client/link', lossProbability: spec.probability, reason };
    case 'misbehave': {
      const misbehave: Misbehaviour = { kind: spec.kind };
      if (spec.factor !== undefined) misbehave.factor = spec.factor;
      if (spec.sigma !== undefined) misbehave.sigma = spec.sigma;
      return { type: 'client/misbehave', misbehave, reason };
    }
  }
}

/** The global round at `progress` of a method whose phases run `phaseRounds` rounds. */
export function roundAtProgress(progress: number, phaseRounds: readonly number[]): number {
  const total = phaseRounds.reduce((a, b) => a + b, 0);
  return Math.min(Math.max(total - 1, 0), Math.floor(progress * total));
}

/** Resolves every timeline event of the scenario; `phaseRounds` are the method's rounds per phase. */
export function resolveTimeline(scenario: Scenario, dataset: LoadedDataset, strategy: Strategy<PhaseState>, source: string, phaseRounds: readonly number[]): TimelineEvent[] {
  const rows = populationOf(dataset);
  // Every id is listed only if some event targets a rate or a device class (O(n) once, before the run).
  let listed: string[] | null = null;
  const allIds = () => (listed ??= idsOf(rows));
  const cost = costModelFor(scenario);
  const out: TimelineEvent[] = [];
  scenario.timeline.forEach((spec, index) => {
    const field = `timeline.${index}`;
    const { target } = spec;
    if (!target.clients && target.rate === undefined && !target.deviceClass) {
      throw new ConfigError(source, `${field}.target`, target, 'one of clients, rate or deviceClass');
    }
    let pool = target.clients ? [] : allIds();
    if (target.onlyWithVideo && !target.clients) pool = pool.filter((id) => (rows.modal[rows.rankOf(id)] & HAS_VIDEO) !== 0);
    if (target.deviceClass) {
      const names = new Set(['default', ...(cost.deviceClasses ?? []).map((c) => c.name)]);
      if (!names.has(target.deviceClass)) throw new ConfigError(source, `${field}.target.deviceClass`, target.deviceClass, `one of ${[...names].join(', ')}`);
      pool = pool.filter((id) => deviceClassOf(scenario.seed, id, cost).name === target.deviceClass);
    }
    for (const id of target.clients ?? []) {
      if (rows.rankOf(id) < 0) {
        const first = Array.from({ length: Math.min(5, rows.size) }, (_, r) => rows.idAt(r));
        throw new ConfigError(source, `${field}.target.clients`, id, `a client id of the dataset (${rows.size} clients: ${first.join(', ')}${rows.size > 5 ? ', …' : ''})`);
      }
    }
    const stream = rng(scenario.seed, 'timeline', index);
    const chosen = target.clients ?? (target.rate !== undefined ? pool.filter(() => stream.next() < target.rate!) : pool);
    const at = spec.at;
    const ats: FireAt[] = 'phase' in at
      ? resolvePhases(at.phase, strategy, source, `${field}.at.phase`).map((phase) => ({ phase, offsetMs: at.offsetMs }))
      : 'progress' in at
        ? [{ round: roundAtProgress(at.progress, phaseRounds), offsetMs: at.offsetMs }]
        : [at];
    for (const fireAt of ats) {
      const event: TimelineEvent = { index, at: fireAt, clientIds: chosen, event: clientEvent(spec) };
      if ((spec.type === 'dropout' || spec.type === 'misbehave') && spec.durationMs !== undefined) event.until = { durationMs: spec.durationMs };
      if ((spec.type === 'dropout' || spec.type === 'misbehave') && spec.durationRounds !== undefined) event.until = { durationRounds: spec.durationRounds };
      if (spec.type === 'misbehave' && event.until) event.end = { type: 'client/misbehave', misbehave: null, reason: `end of timed misbehaviour (timeline ${index})` };
      out.push(event);
    }
  });
  return out;
}
