/** Report rendering: pure functions from plain data to SVG, HTML, CSV, JSONL and text tables. */
export { renderAccuracyPerRoundSvg, type RoundChartOptions } from './accuracy-per-round-chart.js';
export { renderAccuracyVsMissingSvg } from './accuracy-vs-missing-chart.js';
export { quoteCsv, toCsv, type CsvColumn } from './csv.js';
export { formatCell, formatMeanStd } from './format-cell.js';
export { escapeHtml } from './html-escape.js';
export { renderHtmlReport, renderTable } from './html-report.js';
export { toJsonl } from './jsonl.js';
export { fnv1a32, normalizeSvgIds } from './normalize-svg.js';
export { GAIN_COLOR, LOSS_COLOR, methodColor } from './palette.js';
export { perLabelF1Diffs, renderPerLabelF1DiffSvg, topLabelDiffs, type LabelDiff } from './per-label-f1-diff-chart.js';
export { renderEchartsSvg, type SvgSize } from './render-svg.js';
export { renderTextTable } from './text-table.js';
export type {
  ChartOptions,
  HtmlReportInput,
  MethodSeries,
  MissingRatePoint,
  PerLabelF1Diff,
  ReportBlock,
  ReportSection,
  RoundSeries,
  XMarker,
} from './types.js';
