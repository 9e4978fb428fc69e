/**
 * zrender names CSS classes and `<defs>` ids with process-global counters (`zr3-cls-17`,
 * `zr3-c0`), so the same chart rendered twice in one process gives different strings, and two
 * charts inlined in one HTML page could collide. This renumbers those names in order of first
 * appearance and prefixes them with a hash of the chart itself: same chart → same string, different
 * charts → different ids.
 */
export function normalizeSvgIds(svg: string): string {
  const seen = new Map<string, string>();
  const perKind = new Map<string, number>();
  const placeholder = '\u0000';
  const renamed = svg.replace(/zr\d+-(cls-|ani-|[a-z]+)(\d+)/g, (token, kind: string) => {
    let name = seen.get(token);
    if (name === undefined) {
      const next = perKind.get(kind) ?? 0;
      perKind.set(kind, next + 1);
      name = `${placeholder}${kind}${next}`;
      seen.set(token, name);
    }
    return name;
  });
  const prefix = `mm${fnv1a32(renamed)}-`;
  return renamed.split(placeholder).join(prefix);
}

/** 32-bit FNV-1a of a string's UTF-16 code units, as 8 hex digits. */
export function fnv1a32(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
