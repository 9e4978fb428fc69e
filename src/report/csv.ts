import { ConfigError } from '../core/errors.js';
import { formatCell } from './format-cell.js';

/** A CSV column: header text and the row field it reads (defaults to the header). */
export interface CsvColumn<Row> {
  header: string;
  key?: keyof Row & string;
  /** Computes the cell instead of reading a field. */
  value?: (row: Row) => string | number | boolean | null | undefined;
}

/**
 * CSV text with RFC 4180 quoting, `\n` line ends and the header row first. Numbers are
 * written with full precision (`String(x)`), so the file round-trips; cells with a comma, quote or
 * line break are quoted.
 */
export function toCsv<Row extends object>(rows: Row[], columns: (CsvColumn<Row> | (keyof Row & string))[]): string {
  const cols = columns.map((c) => (typeof c === 'string' ? { header: c, key: c } : c));
  if (cols.length === 0) throw new ConfigError('toCsv', 'columns', [], 'at least one column');
  const lines = [cols.map((c) => quoteCsv(c.header)).join(',')];
  for (const row of rows) {
    const cells = cols.map((c) => {
      const raw = c.value ? c.value(row) : (row as Record<string, unknown>)[c.key ?? c.header];
      return quoteCsv(csvCell(raw));
    });
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

function csvCell(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : formatCell(value);
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'boolean') return formatCell(value);
  return JSON.stringify(value);
}

/** Quotes a CSV field when it holds a comma, a double quote or a line break. */
export function quoteCsv(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}
