/**
 * The staleness of a buffered server step's applied updates, summed up for the records: shared by
 * the grid's cell records (src/engine) and the run's files (src/report), so it sits below both.
 */

/** Mean and largest staleness of a buffered step's applied updates (nulls when it applied none). */
export function stalenessSummary(contributions: ReadonlyArray<{ staleness: number }>): { stalenessMean: number | null; stalenessMax: number | null } {
  if (contributions.length === 0) return { stalenessMean: null, stalenessMax: null };
  return { stalenessMean: contributions.reduce((s, c) => s + c.staleness, 0) / contributions.length, stalenessMax: Math.max(...contributions.map((c) => c.staleness)) };
}
