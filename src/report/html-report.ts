import { ConfigError } from '../core/errors.js';
import { formatCell } from './format-cell.js';
import { escapeHtml } from './html-escape.js';
import type { HtmlReportInput, ReportBlock } from './types.js';

const SOURCE = 'renderHtmlReport';

// Local fonts and inline styles only: the file must open offline, from an archive, years later.
const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #222;
  margin: 0 auto; max-width: 1100px; padding: 24px 32px 64px; line-height: 1.45; background: #fff; }
h1 { font-size: 1.6em; margin: 0 0 12px; }
h2 { font-size: 1.25em; margin: 36px 0 12px; padding-bottom: 4px; border-bottom: 1px solid #ddd; }
nav { margin: 8px 0 16px; font-size: 0.95em; }
nav a { margin-right: 16px; color: #1a5fb4; text-decoration: none; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 0.92em; }
th, td { border: 1px solid #d0d0d0; padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f3f4f6; font-weight: 600; }
div.scroll { overflow-x: auto; max-width: 100%; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.params th { width: 14em; }
figure { margin: 12px 0 20px; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption, caption { color: #555; font-size: 0.9em; margin-top: 4px; text-align: left; caption-side: bottom; }
p.text { white-space: pre-wrap; margin: 8px 0; }
`;

/**
 * One self-contained HTML page: a header with the run parameters, then titled sections of inlined
 * SVG charts, tables and text. All text is HTML-escaped; SVG is checked to be a chart without
 * scripts or external references. No timestamps are added, so the same input gives the same file.
 */
export function renderHtmlReport(input: HtmlReportInput): string {
  const out: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(input.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>${escapeHtml(input.title)}</h1>`,
  ];
  const params = Object.entries(input.params ?? {});
  if (params.length > 0) {
    out.push('<table class="params"><tbody>');
    for (const [k, v] of params) out.push(`<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v === null ? '' : String(v))}</td></tr>`);
    out.push('</tbody></table>');
  }
  if (input.sections.length > 1) {
    const links = input.sections.map((s, i) => `<a href="#section-${i + 1}">${escapeHtml(s.title)}</a>`);
    out.push(`<nav>${links.join('')}</nav>`);
  }
  out.push('</header>', '<main>');
  input.sections.forEach((section, i) => {
    out.push(`<section id="section-${i + 1}">`, `<h2>${escapeHtml(section.title)}</h2>`);
    section.blocks.forEach((block, j) => out.push(renderBlock(block, `sections[${i}].blocks[${j}]`)));
    out.push('</section>');
  });
  out.push('</main>', '</body>', '</html>', '');
  return out.join('\n');
}

function renderBlock(block: ReportBlock, field: string): string {
  switch (block.kind) {
    case 'svg': {
      const svg = checkSvg(block.svg, field);
      const caption = block.caption ? `<figcaption>${escapeHtml(block.caption)}</figcaption>` : '';
      return `<figure>\n${svg}\n${caption}</figure>`;
    }
    case 'table':
      return renderTable(block.headers, block.rows, block.caption, field);
    case 'text':
      return `<p class="text">${escapeHtml(block.text)}</p>`;
    default:
      throw new ConfigError(SOURCE, `${field}.kind`, (block as { kind: unknown }).kind, "'svg', 'table' or 'text'");
  }
}

/** An HTML table; numbers are right-aligned and printed by {@link formatCell}. */
export function renderTable(
  headers: string[],
  rows: (string | number | null)[][],
  caption?: string,
  field = 'table',
): string {
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((row, r) => {
    if (row.length !== headers.length) {
      throw new ConfigError(SOURCE, `${field}.rows[${r}].length`, row.length, `${headers.length} cells, one per header`);
    }
    const cells = row.map((v) => `<td${typeof v === 'number' ? ' class="num"' : ''}>${escapeHtml(formatCell(v))}</td>`);
    return `<tr>${cells.join('')}</tr>`;
  });
  const cap = caption ? `<caption>${escapeHtml(caption)}</caption>` : '';
  // Wide tables scroll inside their own box instead of widening the page.
  return `<div class="scroll"><table>${cap}<thead><tr>${head}</tr></thead><tbody>\n${body.join('\n')}\n</tbody></table></div>`;
}

/** Accepts only a bare `<svg>` element without scripts, event handlers or external references. */
function checkSvg(svg: string, field: string): string {
  const text = svg.trim();
  const bad =
    !/^<svg[\s>]/.test(text) ||
    !text.endsWith('</svg>') ||
    /<script|<foreignObject|\son[a-z]+\s*=/i.test(text) ||
    /(?:href|src)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(text) ||
    /url\(\s*["']?\s*(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(text);
  if (bad) throw new ConfigError(SOURCE, `${field}.svg`, text.slice(0, 60), 'a self-contained <svg> chart (no scripts or external links)');
  return text;
}
