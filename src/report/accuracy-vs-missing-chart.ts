import type { CustomSeriesOption, EChartsOption, LineSeriesOption } from 'echarts';
import { ConfigError } from '../core/errors.js';
import { requireDistinctSorted, requireFinite, requireUniqueMethods } from './check-series.js';
import { methodColor } from './palette.js';
import { intervalBars } from './interval-line-chart.js';
import { renderEchartsSvg } from './render-svg.js';
import type { ChartOptions, MethodSeries } from './types.js';

const SOURCE = 'renderAccuracyVsMissingSvg';

/**
 * Audio-only test accuracy against the video-missing rate, one line per method with ±1 std error
 * bars (the ModalityMirror paper's Figure 3). Points are sorted by missing rate; a point with
 * std = 0 (e.g. n = 1) gets no bar.
 */
export function renderAccuracyVsMissingSvg(series: MethodSeries[], opts: ChartOptions = {}): string {
  const clean = series.map((s, i) => checkSeries(s, i));
  requireUniqueMethods(SOURCE, clean.map((s) => s.method));
  const rates = clean.flatMap((s) => s.points.map((p) => p.missingRate));
  const lo = rates.length ? Math.min(...rates) : 0;
  const hi = rates.length ? Math.max(...rates) : 1;

  const lines: LineSeriesOption[] = clean.map((s, i) => ({
    type: 'line',
    name: s.method,
    data: s.points.map((p) => [p.missingRate, p.mean]),
    color: methodColor(s.method, i),
    symbol: 'circle',
    symbolSize: 7,
    lineStyle: { width: 2 },
    z: 3,
  }));
  const bars: CustomSeriesOption[] = clean.map((s, i) => errorBars(s, methodColor(s.method, i)));

  const option: EChartsOption = {
    title: { text: opts.title ?? 'Audio-only accuracy vs. video-missing rate', left: 'center', top: 8 },
    legend: { data: clean.map((s) => s.method), top: 36 },
    grid: { left: 72, right: 28, top: 76, bottom: 60 },
    xAxis: {
      type: 'value',
      // Tidy tenths around the data with room for the end points' error bars: 10%..90% → 0%..100%.
      min: Math.max(0, Math.floor((lo - 0.05) * 10 + 1e-9) / 10),
      max: Math.min(1, Math.ceil((hi + 0.05) * 10 - 1e-9) / 10),
      name: opts.xLabel ?? 'Video-missing rate',
      nameLocation: 'middle',
      nameGap: 32,
      axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` },
    },
    yAxis: {
      type: 'value',
      scale: true,
      name: opts.yLabel ?? 'Audio-only accuracy',
      nameLocation: 'middle',
      nameGap: 50,
    },
    // Lines first: the legend takes its icon and colour from the first series of each name.
    series: [...lines, ...bars],
  };
  return renderEchartsSvg(option, { width: opts.width ?? 760, height: opts.height ?? 440 });
}

/** Bars with caps from mean − std to mean + std (none where std = 0). */
function errorBars(s: MethodSeries, color: string): CustomSeriesOption {
  const points = s.points.filter((p) => p.std > 0).map((p) => ({ x: p.missingRate, y: p.mean, interval: [p.mean - p.std, p.mean + p.std] as [number, number] }));
  return intervalBars({ name: s.method, points }, color);
}

function checkSeries(s: MethodSeries, i: number): MethodSeries {
  const points = s.points.map((p, j) => {
    const at = `series[${i}].points[${j}]`;
    const missingRate = requireFinite(SOURCE, `${at}.missingRate`, p.missingRate);
    if (missingRate < 0 || missingRate > 1) throw new ConfigError(SOURCE, `${at}.missingRate`, missingRate, 'a fraction in [0, 1]');
    const std = requireFinite(SOURCE, `${at}.std`, p.std);
    if (std < 0) throw new ConfigError(SOURCE, `${at}.std`, std, 'a standard deviation >= 0');
    if (!Number.isInteger(p.n) || p.n < 1) throw new ConfigError(SOURCE, `${at}.n`, p.n, 'a run count >= 1');
    return { missingRate, mean: requireFinite(SOURCE, `${at}.mean`, p.mean), std, n: p.n };
  });
  points.sort((a, b) => a.missingRate - b.missingRate);
  requireDistinctSorted(SOURCE, `series[${i}].points[].missingRate`, points.map((p) => p.missingRate));
  return { method: s.method, points };
}
