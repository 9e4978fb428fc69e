/**
 * Plain, JSON-able inputs of the report renderers. The engine (or a script reading runs from
 * disk) builds these; nothing in src/report imports engine code.
 */

/** One point of a method's accuracy curve: a statistic over `n` runs (seeds, folds). */
export interface MissingRatePoint {
  /** Fraction of clients without video, in [0, 1]. */
  missingRate: number;
  mean: number;
  /** Standard deviation over the `n` runs; 0 when n = 1. */
  std: number;
  n: number;
}

/** A method's audio-only test accuracy against the video-missing rate (paper's Figure 3). */
export interface MethodSeries {
  method: string;
  points: MissingRatePoint[];
}

/** Per-label F1 changes of method A against method B (paper's Figure 2). */
export interface PerLabelF1Diff {
  title: string;
  /** Class names, indexed like `diffs`. */
  classNames: string[];
  /** F1(A) − F1(B) per class. */
  diffs: number[];
  /** Bars to show, largest |diff| first; default 10. */
  topK?: number;
  /** Axis caption, e.g. `F1(ModalityMirror) − F1(Harmony)`. */
  valueLabel?: string;
}

/** A method's accuracy over training: x is a round number or a virtual time. */
export interface RoundSeries {
  method: string;
  points: { x: number; accuracy: number }[];
}

/** A vertical marker on the per-round chart, e.g. where phase 2 starts. */
export interface XMarker {
  x: number;
  label: string;
}

/** Size and captions shared by the charts. */
export interface ChartOptions {
  title?: string;
  width?: number;
  height?: number;
  xLabel?: string;
  yLabel?: string;
}

/** A block of a report section. SVG must come from this module's renderers (it is inlined as is). */
export type ReportBlock =
  | { kind: 'svg'; svg: string; caption?: string }
  | { kind: 'table'; headers: string[]; rows: (string | number | null)[][]; caption?: string }
  | { kind: 'text'; text: string };

/** A titled part of the HTML report. */
export interface ReportSection {
  title: string;
  blocks: ReportBlock[];
}

/** Everything the HTML report shows; `params` is the header of run parameters. */
export interface HtmlReportInput {
  title: string;
  params?: Record<string, string | number | boolean | null>;
  sections: ReportSection[];
}
