/**
 * A line chart of named series over a numeric or categorical x axis, with optional 95% interval
 * bars per point and an optional dashed horizontal reference line (e.g. the chance level). Serves
 * the sweep's accuracy-vs-value, time-to-accuracy and participation charts.
 */
import type { CustomSeriesOption, EChartsOption, LineSeriesOption } from 'echarts';
import { requireFinite } from './check-series.js';
import { methodColor } from './palette.js';
import { renderEchartsSvg } from './render-svg.js';
import type { ChartOptions } from './types.js';

const SOURCE = 'renderIntervalLineSvg';

/** One point: x is a number, or an index into `categories`. */
export interface IntervalPoint {
  x: number;
  y: number;
  /** 95% interval; omitted (or null) draws no bar. */
  interval?: [number, number] | null;
}

/** A named line; `color` defaults to the method palette. */
export interface IntervalSeries {
  name: string;
  points: IntervalPoint[];
  color?: string;
  dashed?: boolean;
}

/** Chart options beyond the shared ones. */
export interface IntervalChartOptions extends ChartOptions {
  /** Category labels: x values are indices into this list. */
  categories?: string[];
  /** A dashed horizontal line, e.g. `{ y: 0.1, label: 'chance' }`. */
  reference?: { y: number; label: string };
  /** Where the quantity can lie (e.g. [0, 1] for accuracy): intervals are drawn clipped to it. */
  bounds?: [number, number];
}

/** Renders the chart as a deterministic SVG string. */
export function renderIntervalLineSvg(series: IntervalSeries[], opts: IntervalChartOptions = {}): string {
  const lines: LineSeriesOption[] = series.map((s, i) => ({
    type: 'line',
    name: s.name,
    data: s.points.map((p, j) => [requireFinite(SOURCE, `series[${i}].points[${j}].x`, p.x), requireFinite(SOURCE, `series[${i}].points[${j}].y`, p.y)]),
    color: s.color ?? methodColor(s.name, i),
    symbol: 'circle',
    symbolSize: 6,
    showSymbol: s.points.length <= 40,
    lineStyle: { width: 2, type: s.dashed ? 'dashed' : 'solid' },
    z: 3,
  }));
  const bars: CustomSeriesOption[] = series.map((s, i) => intervalBars(clipped(s, opts.bounds), s.color ?? methodColor(s.name, i)));
  if (opts.reference && lines.length > 0) {
    const ref = opts.reference;
    lines[0].markLine = { symbol: 'none', silent: true, lineStyle: { type: 'dashed', color: '#777' }, label: { formatter: () => ref.label, position: 'insideEndTop' }, data: [{ yAxis: requireFinite(SOURCE, 'reference.y', ref.y) }] };
  }
  const categories = opts.categories;
  const option: EChartsOption = {
    title: { text: opts.title ?? '', left: 'center', top: 8, textStyle: { fontSize: 15 } },
    legend: { data: series.map((s) => s.name), top: 36 },
    grid: { left: 72, right: 28, top: 80, bottom: 60 },
    xAxis: categories
      ? { type: 'value', min: -0.3, max: categories.length - 0.7, interval: 1, name: opts.xLabel ?? '', nameLocation: 'middle', nameGap: 32, axisLabel: { formatter: (v: number) => categories[Math.round(v)] ?? '' } }
      : { type: 'value', scale: true, name: opts.xLabel ?? '', nameLocation: 'middle', nameGap: 32 },
    yAxis: { type: 'value', scale: true, name: opts.yLabel ?? '', nameLocation: 'middle', nameGap: 50 },
    series: [...lines, ...bars],
  };
  return renderEchartsSvg(option, { width: opts.width ?? 760, height: opts.height ?? 420 });
}

/** `s` with its intervals clipped to `bounds`. */
function clipped(s: IntervalSeries, bounds?: [number, number]): IntervalSeries {
  if (!bounds) return s;
  const clip = (v: number) => Math.min(bounds[1], Math.max(bounds[0], v));
  return { ...s, points: s.points.map((p) => ({ ...p, interval: p.interval ? [clip(p.interval[0]), clip(p.interval[1])] : p.interval })) };
}

/** A custom series of vertical bars with caps over each point's interval (shared with the other charts). */
export function intervalBars(s: IntervalSeries, color: string): CustomSeriesOption {
  const withInterval = s.points.filter((p) => p.interval);
  return {
    type: 'custom',
    name: s.name,
    color,
    data: withInterval.map((p) => [p.x, p.interval![0], p.interval![1]]),
    encode: { x: 0, y: [1, 2] },
    z: 2,
    silent: true,
    renderItem: (_params, api) => {
      const top = api.coord([api.value(0), api.value(2)]);
      const bottom = api.coord([api.value(0), api.value(1)]);
      const style = { stroke: color, lineWidth: 1.5 };
      const line = (x1: number, y1: number, x2: number, y2: number) => ({ type: 'line' as const, shape: { x1, y1, x2, y2 }, style });
      return { type: 'group', children: [line(top[0], top[1], bottom[0], bottom[1]), line(top[0] - 5, top[1], top[0] + 5, top[1]), line(bottom[0] - 5, bottom[1], bottom[0] + 5, bottom[1])] };
    },
  };
}
