import * as echarts from 'echarts';
import { normalizeSvgIds } from './normalize-svg.js';
import { ConfigError } from '../core/errors.js';

/** Chart size in pixels. */
export interface SvgSize {
  width: number;
  height: number;
}

/**
 * Renders an echarts option to an SVG string with echarts' server-side renderer (no DOM).
 * Animation is forced off, the instance is disposed even on error, and zrender's global id
 * counters are normalised away, so the same option always yields the same string.
 */
export function renderEchartsSvg(option: echarts.EChartsOption, size: SvgSize): string {
  checkSize(size);
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption({ ...option, animation: false });
    return normalizeSvgIds(chart.renderToSVGString());
  } finally {
    chart.dispose();
  }
}

function checkSize(size: SvgSize): void {
  for (const field of ['width', 'height'] as const) {
    const v = size[field];
    if (!Number.isFinite(v) || v < 50 || v > 10_000) {
      throw new ConfigError('chart options', field, v, 'a pixel size in [50, 10000]');
    }
  }
}
