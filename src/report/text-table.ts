import Table from 'cli-table3';
import { formatCell } from './format-cell.js';

/**
 * A plain-text table for terminal output (cli-table3), without colour codes so that it reads the
 * same in a log file. Numbers are right-aligned and printed by {@link formatCell} with `digits`.
 */
export function renderTextTable(
  headers: string[],
  rows: (string | number | boolean | null)[][],
  digits = 4,
): string {
  const numeric = headers.map((_, c) => rows.length > 0 && rows.every((r) => typeof r[c] === 'number' || r[c] === null));
  const table = new Table({
    head: headers,
    style: { head: [], border: [], compact: false },
    colAligns: numeric.map((n) => (n ? 'right' : 'left')),
  });
  for (const row of rows) table.push(row.map((v) => formatCell(v, digits)));
  return table.toString();
}
