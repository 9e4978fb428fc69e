import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import {
  GAIN_COLOR,
  LOSS_COLOR,
  methodColor,
  normalizeSvgIds,
  perLabelF1Diffs,
  renderAccuracyPerRoundSvg,
  renderAccuracyVsMissingSvg,
  renderPerLabelF1DiffSvg,
  topLabelDiffs,
  type MethodSeries,
} from '../../src/report/index.js';
import { METHODS, sampleF1, sampleMissingSeries, sampleRoundSeries } from './sample-report.js';

/** Paths drawn as a method's main line: its colour, width 2 (axes and error bars differ). */
function linePaths(svg: string, color: string): string[] {
  return svg.split('\n').filter((l) => l.startsWith('<path') && l.includes(`stroke="${color}" stroke-width="2" stroke-linejoin`));
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe('accuracy vs. missing rate chart', () => {
  const series = sampleMissingSeries();
  const svg = renderAccuracyVsMissingSvg(series);

  it('draws one line per method and names every method', () => {
    expect(svg.startsWith('<svg')).toBe(true);
    series.forEach((s, i) => {
      expect(svg).toContain(`>${s.method}</text>`);
      expect(linePaths(svg, methodColor(s.method, i))).toHaveLength(1);
    });
  });

  it('draws an error bar (stem + two caps) per point with std > 0, none for std = 0', () => {
    const one: MethodSeries[] = [
      { method: 'UniFL', points: [0.2, 0.5, 0.8].map((r, j) => ({ missingRate: r, mean: 0.5, std: j === 1 ? 0 : 0.05, n: 3 })) },
    ];
    const s = renderAccuracyVsMissingSvg(one);
    const barSegments = s.split('\n').filter((l) => l.includes(`stroke="${methodColor('UniFL', 0)}" stroke-width="1.5"`));
    expect(barSegments).toHaveLength(2 * 3);
  });

  it('is deterministic, also after other charts were rendered in the same process', () => {
    renderAccuracyPerRoundSvg(sampleRoundSeries());
    expect(renderAccuracyVsMissingSvg(sampleMissingSeries())).toBe(svg);
    expect(svg).not.toMatch(/zr\d+-/);
  });

  it('sorts points by missing rate', () => {
    const shuffled = series.map((s) => ({ ...s, points: [...s.points].reverse() }));
    expect(renderAccuracyVsMissingSvg(shuffled)).toBe(svg);
  });

  it('escapes method names and titles', () => {
    const s = renderAccuracyVsMissingSvg([{ method: 'A<B&C', points: [{ missingRate: 0.5, mean: 0.4, std: 0, n: 1 }] }], { title: '<t>' });
    expect(s).toContain('A&lt;B&amp;C');
    expect(s).toContain('&lt;t&gt;');
    expect(s).not.toContain('A<B');
  });

  it('rejects bad input with the field and value', () => {
    const bad = (p: Partial<MethodSeries['points'][0]>) => () =>
      renderAccuracyVsMissingSvg([{ method: 'M', points: [{ missingRate: 0.5, mean: 0.4, std: 0.1, n: 2, ...p }] }]);
    expect(bad({ missingRate: 1.5 })).toThrow(/series\[0\]\.points\[0\]\.missingRate = 1\.5/);
    expect(bad({ std: -1 })).toThrow(ConfigError);
    expect(bad({ mean: Number.NaN })).toThrow(/mean/);
    expect(bad({ n: 0 })).toThrow(/\.n = 0/);
    const twice = [series[0], { ...series[1], method: series[0].method }];
    expect(() => renderAccuracyVsMissingSvg(twice)).toThrow(/series\[1\]\.method/);
    const dup = [{ method: 'M', points: [0.5, 0.5].map((r) => ({ missingRate: r, mean: 0.4, std: 0, n: 1 })) }];
    expect(() => renderAccuracyVsMissingSvg(dup)).toThrow(/one point per x/);
  });
});

describe('per-label F1 difference chart', () => {
  it('picks the largest |diff|, ordered from gain to loss, ties to the lower class', () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    const diffs = [0.1, -0.3, 0.05, 0.3, -0.1];
    expect(topLabelDiffs(names, diffs, 3).map((d) => d.name)).toEqual(['d', 'a', 'b']);
    expect(topLabelDiffs(names, diffs, 10).map((d) => d.diff)).toEqual([0.3, 0.1, 0.05, -0.1, -0.3]);
    expect(perLabelF1Diffs([0.5, 0.25], [0.25, 0.5])).toEqual([0.25, -0.25]);
    expect(() => topLabelDiffs(names, [1], 3)).toThrow(/diffs\.length/);
  });

  it('shows ten bars coloured by sign, with only the chosen class names', () => {
    const f1 = sampleF1();
    const diffs = perLabelF1Diffs(f1.f1A, f1.f1B);
    const svg = renderPerLabelF1DiffSvg({ title: 'Fig 2', classNames: f1.classNames, diffs });
    const top = topLabelDiffs(f1.classNames, diffs, 10);
    const gains = top.filter((d) => d.diff >= 0).length;
    expect(gains).toBeGreaterThan(0);
    expect(gains).toBeLessThan(10);
    expect(count(svg, `fill="${GAIN_COLOR}"`)).toBe(gains);
    expect(count(svg, `fill="${LOSS_COLOR}"`)).toBe(10 - gains);
    for (const d of top) expect(svg).toContain(`>${d.name}</text>`);
    const hidden = f1.classNames.filter((n) => !top.some((d) => d.name === n));
    for (const n of hidden) expect(svg).not.toContain(`>${n}</text>`);
    expect(renderPerLabelF1DiffSvg({ title: 'Fig 2', classNames: f1.classNames, diffs })).toBe(svg);
  });
});

describe('accuracy per round chart', () => {
  it('draws one line per method and the phase marker', () => {
    const svg = renderAccuracyPerRoundSvg(sampleRoundSeries(), { markers: [{ x: 150, label: 'phase {a} 2' }], xLabel: 'Virtual time (s)' });
    METHODS.forEach((m, i) => {
      expect(svg).toContain(`>${m}</text>`);
      expect(linePaths(svg, methodColor(m, i))).toHaveLength(1);
    });
    expect(svg).toContain('phase {a} 2');
    expect(svg).toContain('Virtual time (s)');
  });
});

describe('svg id normalisation', () => {
  it('renumbers zrender ids by first appearance and prefixes them with a content hash', () => {
    const a = '<svg><path class="zr7-cls-12"/><path class="zr7-cls-3"/><clipPath id="zr7-c4"/><g class="zr7-cls-12"/></svg>';
    const b = a.replace(/zr7/g, 'zr9').replace(/cls-12/g, 'cls-40');
    const na = normalizeSvgIds(a);
    expect(normalizeSvgIds(b)).toBe(na);
    expect(na).toMatch(/^<svg><path class="mm[0-9a-f]{8}-cls-0"\/><path class="mm[0-9a-f]{8}-cls-1"\/><clipPath id="mm[0-9a-f]{8}-c0"\/>/);
    expect(normalizeSvgIds(a.replace('<path', '<rect'))).not.toBe(na.replace('<path', '<rect'));
  });
});
