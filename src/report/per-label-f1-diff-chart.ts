import type { BarSeriesOption, EChartsOption } from 'echarts';
import { ConfigError } from '../core/errors.js';
import { requireFinite } from './check-series.js';
import { GAIN_COLOR, LOSS_COLOR } from './palette.js';
import { renderEchartsSvg } from './render-svg.js';
import type { ChartOptions, PerLabelF1Diff } from './types.js';

const SOURCE = 'renderPerLabelF1DiffSvg';

/** One bar of the difference chart. */
export interface LabelDiff {
  classIndex: number;
  name: string;
  diff: number;
}

/**
 * The `topK` classes with the largest |diff|, ordered from the largest gain to the largest loss.
 * Ties in |diff| go to the lower class index so the choice never depends on sort stability.
 */
export function topLabelDiffs(classNames: string[], diffs: number[], topK = 10): LabelDiff[] {
  if (classNames.length !== diffs.length) {
    throw new ConfigError(SOURCE, 'diffs.length', diffs.length, `one diff per class name (${classNames.length})`);
  }
  if (!Number.isInteger(topK) || topK < 1) throw new ConfigError(SOURCE, 'topK', topK, 'a positive integer');
  const all = diffs.map((d, i) => ({ classIndex: i, name: classNames[i], diff: requireFinite(SOURCE, `diffs[${i}]`, d) }));
  all.sort((a, b) => Math.abs(b.diff) - Math.abs(a.diff) || a.classIndex - b.classIndex);
  return all.slice(0, topK).sort((a, b) => b.diff - a.diff || a.classIndex - b.classIndex);
}

/** F1(A) − F1(B) per class, for {@link renderPerLabelF1DiffSvg}. */
export function perLabelF1Diffs(f1A: number[], f1B: number[]): number[] {
  if (f1A.length !== f1B.length) throw new ConfigError(SOURCE, 'f1B.length', f1B.length, `the length of f1A (${f1A.length})`);
  return f1A.map((a, i) => a - f1B[i]);
}

/**
 * Horizontal bars of the ten (or `topK`) largest per-label F1 changes of method A against
 * method B, gains and losses in two colours, the largest gain on top (paper's Figure 2).
 */
export function renderPerLabelF1DiffSvg(input: PerLabelF1Diff, opts: ChartOptions = {}): string {
  const bars = topLabelDiffs(input.classNames, input.diffs, input.topK ?? 10);
  // A category y axis draws its first entry at the bottom: reverse so the largest gain is on top.
  const bottomUp = [...bars].reverse();
  // 15% headroom so the value label beside the longest bar stays inside the plot.
  const maxAbs = 1.15 * Math.max(0.01, ...bars.map((b) => Math.abs(b.diff)));
  const series: BarSeriesOption = {
    type: 'bar',
    name: 'F1 difference',
    barMaxWidth: 22,
    data: bottomUp.map((b) => ({
      value: b.diff,
      itemStyle: { color: b.diff >= 0 ? GAIN_COLOR : LOSS_COLOR },
      // Each label at the outer end of its bar, away from the zero line.
      label: { position: b.diff >= 0 ? ('right' as const) : ('left' as const) },
    })),
    label: {
      show: true,
      formatter: (p) => formatSigned(Number(p.value)),
      fontSize: 11,
    },
  };
  const option: EChartsOption = {
    title: { text: opts.title ?? input.title, left: 'center', top: 8 },
    grid: { left: 150, right: 40, top: 52, bottom: 56 },
    xAxis: {
      type: 'value',
      min: -niceCeil(maxAbs),
      max: niceCeil(maxAbs),
      name: opts.xLabel ?? input.valueLabel ?? 'F1 difference (A − B)',
      nameLocation: 'middle',
      nameGap: 32,
      splitLine: { lineStyle: { type: 'dashed' } },
    },
    yAxis: {
      type: 'category',
      data: bottomUp.map((b) => b.name),
      axisTick: { show: false },
      axisLabel: { width: 135, overflow: 'truncate' },
    },
    series: [series],
  };
  const height = opts.height ?? Math.max(240, 110 + bars.length * 34);
  return renderEchartsSvg(option, { width: opts.width ?? 760, height });
}

/** `+0.123` / `−0.045`, for bar labels. */
function formatSigned(x: number): string {
  return x >= 0 ? `+${x.toFixed(3)}` : `−${Math.abs(x).toFixed(3)}`;
}

/** Rounds |x| up to a tidy axis bound (one significant step of 0.05 or 0.1 above 0.2). */
function niceCeil(x: number): number {
  const step = x > 0.2 ? 0.1 : 0.05;
  return Math.round(Math.ceil(x / step - 1e-9) * step * 100) / 100;
}
