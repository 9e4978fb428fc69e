/**
 * Class names for a FedMultimodal dataset. Its UCF101 keys are `{label_str}/{video_id}`, so when
 * every key of a label has the same folder prefix that prefix is the class name; otherwise (or
 * for labels with no item) the generic `class{c}` is used.
 */

/** Names for labels 0..numClasses-1, from keys shaped `name/...` where they agree. */
export function classNamesFromKeys(keys: readonly string[], labels: ArrayLike<number>, numClasses: number): string[] {
  const found: Array<string | null | undefined> = new Array(numClasses).fill(undefined);
  for (let i = 0; i < keys.length; i++) {
    const slash = keys[i].indexOf('/');
    const prefix = slash > 0 ? keys[i].slice(0, slash) : null;
    const label = labels[i];
    if (found[label] === undefined) found[label] = prefix;
    else if (found[label] !== prefix) found[label] = null; // disagreement: no name for this label
  }
  const names = found.map((name, c) => name ?? `class${c}`);
  // Two labels sharing one prefix would make names ambiguous: fall back to generic names for all.
  return new Set(names).size === names.length ? names : names.map((_, c) => `class${c}`);
}
