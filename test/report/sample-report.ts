import {
  perLabelF1Diffs,
  renderAccuracyPerRoundSvg,
  renderAccuracyVsMissingSvg,
  renderHtmlReport,
  renderPerLabelF1DiffSvg,
  type HtmlReportInput,
  type MethodSeries,
  type RoundSeries,
} from '../../src/report/index.js';

/** The paper's four methods, in the order the charts list them. */
export const METHODS = ['ModalityMirror', 'Harmony', 'MultiFL', 'UniFL'];

/** Made-up accuracy-vs-missing-rate curves shaped like the paper's Figure 3 (not real results). */
export function sampleMissingSeries(): MethodSeries[] {
  const rates = [0.1, 0.3, 0.5, 0.7, 0.9];
  return METHODS.map((method, k) => ({
    method,
    points: rates.map((r, j) => ({
      missingRate: r,
      mean: 0.62 - 0.03 * k - r * (0.04 + 0.05 * k),
      std: 0.006 + 0.003 * ((j + k) % 3),
      n: 3,
    })),
  }));
}

/** Made-up accuracy curves over 200 rounds, phase 2 of ModalityMirror starting at round 150. */
export function sampleRoundSeries(): RoundSeries[] {
  return METHODS.map((method, k) => ({
    method,
    points: Array.from({ length: 40 }, (_, i) => {
      const round = (i + 1) * 5;
      const boost = method === 'ModalityMirror' && round > 150 ? 0.03 * (1 - Math.exp(-(round - 150) / 15)) : 0;
      return { x: round, accuracy: (0.58 - 0.03 * k) * (1 - Math.exp(-round / 40)) + boost };
    }),
  }));
}

/** Fifty-one UCF101-like class names and made-up per-class F1 of two methods. */
export function sampleF1(): { classNames: string[]; f1A: number[]; f1B: number[] } {
  const classNames = Array.from({ length: 51 }, (_, c) => `Class${String(c).padStart(2, '0')}_${c % 7 === 0 ? 'PlayingDaf' : 'Drumming'}`);
  const f1B = classNames.map((_, c) => 0.3 + 0.5 * (((c * 37) % 51) / 51));
  const f1A = f1B.map((b, c) => Math.min(1, Math.max(0, b + (0.04 + 0.1 * ((c * 13) % 5) / 4) * Math.sin(c * 1.7))));
  return { classNames, f1A, f1B };
}

/** A complete sample report from made-up numbers, for tests and screenshots. */
export function sampleReportInput(): HtmlReportInput {
  const f1 = sampleF1();
  const missing = sampleMissingSeries();
  return {
    title: 'Sample report <made-up numbers> & "quotes"',
    params: { dataset: 'ucf101 (synthetic)', alpha: 0.1, rounds: 200, seeds: 3, backend: 'wasm', distillAlpha: 0.5, temperature: 2 },
    sections: [
      {
        title: 'Audio-only accuracy vs. video-missing rate',
        blocks: [
          { kind: 'svg', svg: renderAccuracyVsMissingSvg(missing), caption: 'Mean ± 1 std over 3 seeds.' },
          {
            kind: 'table',
            headers: ['Method', ...missing[0].points.map((p) => `${Math.round(p.missingRate * 100)}% missing`)],
            rows: missing.map((s) => [s.method, ...s.points.map((p) => p.mean)]),
          },
        ],
      },
      {
        title: 'Per-label F1: ModalityMirror vs. Harmony',
        blocks: [
          {
            kind: 'svg',
            svg: renderPerLabelF1DiffSvg({
              title: 'Ten largest per-label F1 changes',
              classNames: f1.classNames,
              diffs: perLabelF1Diffs(f1.f1A, f1.f1B),
              valueLabel: 'F1(ModalityMirror) − F1(Harmony)',
            }),
          },
        ],
      },
      {
        title: 'Accuracy per round',
        blocks: [
          { kind: 'svg', svg: renderAccuracyPerRoundSvg(sampleRoundSeries(), { markers: [{ x: 150, label: 'phase 2' }] }) },
          { kind: 'text', text: 'Scores are made up. <script>alert(1)</script> must show as text.' },
        ],
      },
    ],
  };
}

/** The sample report as HTML. */
export function sampleReportHtml(): string {
  return renderHtmlReport(sampleReportInput());
}
