import type { EChartsOption, LineSeriesOption } from 'echarts';
import { ConfigError } from '../core/errors.js';
import { requireDistinctSorted, requireFinite, requireUniqueMethods } from './check-series.js';
import { methodColor } from './palette.js';
import { renderEchartsSvg } from './render-svg.js';
import type { ChartOptions, RoundSeries, XMarker } from './types.js';

const SOURCE = 'renderAccuracyPerRoundSvg';

/** Options of the per-round chart: markers draw dashed vertical lines (e.g. the phase switch). */
export interface RoundChartOptions extends ChartOptions {
  markers?: XMarker[];
}

/**
 * Test (or dev) accuracy over training, one line per method; x is the round number or the
 * virtual time, as the caller's `xLabel` says. Points are sorted by x.
 */
export function renderAccuracyPerRoundSvg(series: RoundSeries[], opts: RoundChartOptions = {}): string {
  requireUniqueMethods(SOURCE, series.map((s) => s.method));
  const lines: LineSeriesOption[] = series.map((s, i) => {
    const points = s.points
      .map((p, j) => [
        requireFinite(SOURCE, `series[${i}].points[${j}].x`, p.x),
        requireFinite(SOURCE, `series[${i}].points[${j}].accuracy`, p.accuracy),
      ])
      .sort((a, b) => a[0] - b[0]);
    requireDistinctSorted(SOURCE, `series[${i}].points[].x`, points.map((p) => p[0]));
    return {
      type: 'line',
      name: s.method,
      data: points,
      color: methodColor(s.method, i),
      // Hundreds of rounds: markers would smear into a thick line.
      showSymbol: points.length <= 30,
      symbolSize: 5,
      lineStyle: { width: 2 },
    };
  });
  const markers = (opts.markers ?? []).map((m, i) => ({
    xAxis: requireFinite(SOURCE, `markers[${i}].x`, m.x),
    label: { formatter: constant(checkLabel(m.label, i)), position: 'insideEndTop' as const },
  }));
  if (markers.length > 0 && lines.length > 0) {
    lines[0].markLine = { symbol: 'none', silent: true, lineStyle: { type: 'dashed', color: '#555' }, data: markers };
  }
  const option: EChartsOption = {
    title: { text: opts.title ?? 'Accuracy per round', left: 'center', top: 8 },
    legend: { data: series.map((s) => s.method), top: 36 },
    grid: { left: 72, right: 28, top: 76, bottom: 60 },
    xAxis: { type: 'value', scale: true, name: opts.xLabel ?? 'Round', nameLocation: 'middle', nameGap: 32 },
    yAxis: { type: 'value', scale: true, name: opts.yLabel ?? 'Accuracy', nameLocation: 'middle', nameGap: 50 },
    series: lines,
  };
  return renderEchartsSvg(option, { width: opts.width ?? 760, height: opts.height ?? 420 });
}

/** A formatter returning `text` verbatim: a string formatter would expand `{a}` templates. */
function constant(text: string): () => string {
  return () => text;
}

function checkLabel(label: unknown, i: number): string {
  if (typeof label !== 'string') throw new ConfigError(SOURCE, `markers[${i}].label`, label, 'a string');
  return label;
}
