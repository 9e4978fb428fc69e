/**
 * The first pass's light read of feature pickles: array payloads skipped on disk, everything the
 * pass checks (keys, labels, shapes, dtypes, byte counts) as a full read gives it; files it cannot
 * skim (protocol 2, truncated, not a pickle) are left to the full read.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFeatureItems, type FeatureItem } from '../../src/data/fedmultimodal/feature-items.js';
import { readPickleFile } from '../../src/data/fedmultimodal/read-pickle.js';
import { skimPickleFile } from '../../src/data/fedmultimodal/skim-pickle.js';
import { f32Array, pickleFeatureList } from './fedmultimodal-pickle-writer.js';

const ROOT = join(import.meta.dirname, '..', 'fixtures', 'fedmultimodal');
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'skim-'));
  made.push(dir);
  return dir;
};

const facts = (items: FeatureItem[]) => items.map((i) => ({ key: i.key, label: i.label, frames: i.frames, dims: i.dims, dtype: i.array?.dtype.kind ?? null, le: i.array?.dtype.littleEndian ?? null, bytes: i.array?.bytes.byteLength ?? null }));

describe('skimming feature pickles', () => {
  const fixture = readdirSync(join(ROOT, 'output', 'feature'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.pkl')).map((f) => join(ROOT, 'output', 'feature', f));
  const odd = ['big-endian.pkl', 'scalar-label-3d.pkl', 'float64-protocol3.pkl'].map((f) => join(ROOT, 'odd', f));

  it('every fixture pickle of protocol 3 or later (written by numpy) skims to the full read\'s keys, labels, shapes and byte counts, payloads zero', () => {
    let skimmed = 0;
    for (const file of [...fixture, ...odd]) {
      const full = readFeatureItems(readPickleFile(file), file, 'audio');
      const skim = skimPickleFile(file);
      if (readFileSync(file)[1] < 3) {
        expect(skim, file).toBeNull();
        continue;
      }
      expect(skim, file).not.toBeNull();
      const items = readFeatureItems(skim, file, 'audio');
      expect(facts(items), file).toEqual(facts(full));
      for (const item of items) if (item.array && item.array.bytes.byteLength >= 256) expect(item.array.bytes.every((b) => b === 0)).toBe(true);
      skimmed++;
    }
    expect(skimmed).toBeGreaterThan(20);
  });

  it('a large protocol-5 list skims to the same items; truncated or protocol-2 files are left to the full read', () => {
    const dir = tmp();
    const items = Array.from({ length: 20 }, (_, i) => ({ key: `k/${i}`, path: `p${i}`, label: i % 3, array: i === 7 ? null : f32Array(Array.from({ length: 400 * 16 }, (_, j) => i + j), [400, 16]) }));
    const file = join(dir, 'big.pkl');
    const bytes = pickleFeatureList(items);
    writeFileSync(file, bytes);
    expect(facts(readFeatureItems(skimPickleFile(file), file, 'audio'))).toEqual(facts(readFeatureItems(readPickleFile(file), file, 'audio')));

    const cut = join(dir, 'cut.pkl');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 1000)); // ends inside the last array
    expect(skimPickleFile(cut)).toBeNull();
    const old = join(dir, 'p2.pkl');
    writeFileSync(old, Buffer.concat([Buffer.from([0x80, 2]), bytes.subarray(2)]));
    expect(skimPickleFile(old)).toBeNull();
    const text = join(dir, 'text.pkl');
    writeFileSync(text, 'not a pickle');
    expect(skimPickleFile(text)).toBeNull();
  });
});
