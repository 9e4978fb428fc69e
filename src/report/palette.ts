/**
 * Colours per method, fixed so that a method keeps its colour across every chart of a report
 * (the paper's methods by name, anything else by its position in the series list).
 */
const NAMED: Record<string, string> = {
  modalitymirror: '#d62728',
  harmony: '#1f77b4',
  multifl: '#2ca02c',
  unifl: '#ff7f0e',
};

const FALLBACK = ['#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** Colour of `method`, the `index`-th series of a chart. */
export function methodColor(method: string, index: number): string {
  return NAMED[method.toLowerCase().replace(/[^a-z]/g, '')] ?? FALLBACK[index % FALLBACK.length];
}

/** Bar colours of the per-label difference chart: gain and loss. */
export const GAIN_COLOR = '#2a9d8f';
/** See {@link GAIN_COLOR}. */
export const LOSS_COLOR = '#e76f51';
