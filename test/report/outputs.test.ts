import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import {
  escapeHtml,
  formatCell,
  formatMeanStd,
  renderAccuracyVsMissingSvg,
  renderHtmlReport,
  renderTextTable,
  toCsv,
  toJsonl,
} from '../../src/report/index.js';
import { sampleMissingSeries, sampleReportHtml, sampleReportInput } from './sample-report.js';

describe('HTML report', () => {
  const input = sampleReportInput();
  const html = sampleReportHtml();

  it('is one self-contained page: no external scripts, styles, fonts or images', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/@import/i);
    // url() only for in-page references such as clip-path="url(#id)".
    expect(html).not.toMatch(/url\(\s*["']?(?!#)/i);
    expect(html).not.toMatch(/(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);
    // The only URLs left are the SVG namespace names, which are never fetched.
    const urls = html.match(/https?:\/\/[^\s"'<>]+/g) ?? [];
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink']));
  });

  it('inlines every SVG and shows tables and parameters', () => {
    const svgs = input.sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === 'svg' ? [b.svg] : [])));
    expect(svgs).toHaveLength(3);
    for (const svg of svgs) expect(html).toContain(svg);
    expect(html).toContain('<th>alpha</th><td>0.1</td>');
    expect(html).toContain('<td class="num">0.6160</td>');
    expect(html).toContain('<a href="#section-2">');
  });

  it('escapes all text', () => {
    expect(html).toContain('<title>Sample report &lt;made-up numbers&gt; &amp; &quot;quotes&quot;</title>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const custom = renderHtmlReport({
      title: 't',
      params: { 'a<b': '"x" & y' },
      sections: [{ title: '<h>', blocks: [{ kind: 'table', headers: ['<c>'], rows: [["'q'"]], caption: '&' }] }],
    });
    expect(custom).toContain('<th>a&lt;b</th><td>&quot;x&quot; &amp; y</td>');
    expect(custom).toContain('<h2>&lt;h&gt;</h2>');
    expect(custom).toContain('<th>&lt;c&gt;</th>');
    expect(custom).toContain('<td>&#39;q&#39;</td>');
    expect(custom).toContain('<caption>&amp;</caption>');
  });

  it('is deterministic', () => {
    expect(sampleReportHtml()).toBe(html);
  });

  it('rejects SVG with scripts or external references, and ragged tables', () => {
    const report = (svg: string) => () => renderHtmlReport({ title: 't', sections: [{ title: 's', blocks: [{ kind: 'svg', svg }] }] });
    expect(report('<svg><script>x()</script></svg>')).toThrow(/sections\[0\]\.blocks\[0\]\.svg/);
    expect(report('<svg><image href="https://x.org/a.png"/></svg>')).toThrow(ConfigError);
    expect(report('<svg onload="x()"></svg>')).toThrow(ConfigError);
    expect(report('<div></div>')).toThrow(ConfigError);
    expect(report(renderAccuracyVsMissingSvg(sampleMissingSeries()))).not.toThrow();
    const ragged = () => renderHtmlReport({ title: 't', sections: [{ title: 's', blocks: [{ kind: 'table', headers: ['a', 'b'], rows: [[1]] }] }] });
    expect(ragged).toThrow(/rows\[0\]\.length = 1/);
  });

  it('escapeHtml covers the five special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('CSV, JSONL, text table', () => {
  it('toCsv quotes fields that need it and keeps full precision', () => {
    const rows = [
      { method: 'Mirror, v2', acc: 0.1 + 0.2, n: 3, note: 'say "hi"' },
      { method: 'UniFL', acc: 0.5, n: 1, note: null },
    ];
    const csv = toCsv(rows, ['method', 'acc', { header: 'n x2', value: (r) => r.n * 2 }, 'note']);
    expect(csv).toBe('method,acc,n x2,note\n"Mirror, v2",0.30000000000000004,6,"say ""hi"""\nUniFL,0.5,2,\n');
  });

  it('toJsonl writes one object per line, typed arrays as arrays, refuses NaN', () => {
    expect(toJsonl([{ t: 1, a: Int32Array.from([1, 2]) }, { t: 2 }])).toBe('{"t":1,"a":[1,2]}\n{"t":2}\n');
    expect(toJsonl([])).toBe('');
    expect(() => toJsonl([{ ok: 1 }, { acc: Number.NaN }])).toThrow(/events\[1\]\.acc = "NaN"/);
  });

  it('renderTextTable prints plain text, numbers right-aligned', () => {
    const text = renderTextTable(['method', 'acc'], [['ModalityMirror', 0.61234], ['UniFL', 0.5]]);
    expect(text).not.toMatch(/\u001b\[/);
    const lines = text.split('\n');
    expect(lines.find((l) => l.includes('ModalityMirror'))).toMatch(/│ ModalityMirror │ 0\.6123 │/);
    expect(lines.find((l) => l.includes('UniFL'))).toMatch(/│ UniFL          │ 0\.5000 │/);
  });

  it('formatCell and formatMeanStd', () => {
    expect([formatCell(3), formatCell(0.5), formatCell(null), formatCell(Number.NaN), formatCell(true)]).toEqual(['3', '0.5000', '', 'NaN', 'true']);
    expect(formatMeanStd(0.61234, 0.0123, 3)).toBe('0.612 ± 0.012');
    expect(formatMeanStd(0.61234, 0, 4, 1)).toBe('0.6123 (1 seed)');
  });
});
