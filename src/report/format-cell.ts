/**
 * One way to print a table cell in every output (HTML, terminal, CSV): integers as is, other
 * numbers with `digits` decimals, non-finite numbers by name, null as an empty cell.
 */
export function formatCell(value: string | number | boolean | null | undefined, digits = 4): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Number.isInteger(value)) return String(value);
  if (!Number.isFinite(value)) return String(value);
  return value.toFixed(digits);
}

/**
 * `mean ± std` with `digits` decimals, the usual way to print a statistic over seeds; over one run
 * (`n` = 1) there is no spread to show: `mean (1 seed)`, never `± 0.0000`.
 */
export function formatMeanStd(mean: number, std: number, digits = 4, n = 2): string {
  return n < 2 ? `${mean.toFixed(digits)} (1 seed)` : `${mean.toFixed(digits)} ± ${std.toFixed(digits)}`;
}
