/**
 * A scenario's timeline as a report table: one row per event with its id, type, placement, target
 * and settings, so a report says what was injected and when.
 */
import type { ReportBlock } from './types.js';

/** A timeline event as written in a scenario (only the fields the table shows are typed). */
interface EventLike {
  id?: string;
  type: string;
  at: object;
  target: object;
  [field: string]: unknown;
}

/** The table block of `timeline` (a note when it is empty). */
export function timelineTable(timeline: readonly EventLike[]): ReportBlock {
  if (timeline.length === 0) return { kind: 'text', text: 'No timeline events: every client stays as the data and the population model make it.' };
  const compact = (o: object) => Object.entries(o).map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(', ');
  return {
    kind: 'table',
    headers: ['#', 'id', 'type', 'at', 'target', 'settings'],
    rows: timeline.map((e, i) => {
      const { id, type, at, target, ...rest } = e;
      return [i, id ?? '', type, compact(at), compact(target), compact(rest)];
    }),
    caption: 'Timeline of the base scenario (varied fields take each cell\'s value; every cell\'s resolved scenario is in the JSON).',
  };
}
