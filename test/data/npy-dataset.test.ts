/**
 * loadNpyDataset on the committed NPY fixture (the FedMultimodal fixture's samples saved by numpy),
 * Dirichlet partitioning when the folder has no clients array, and refused bad folders.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../src/core/errors.js';
import { loadFedMultimodal } from '../../src/data/fedmultimodal/load-fedmultimodal.js';
import { loadDataset } from '../../src/data/load-dataset.js';
import { loadNpyDataset, type NpyOptions } from '../../src/data/npy/load-npy-dataset.js';
import { readNpyHeader } from '../../src/data/npy/npy-file.js';
import { npyBytes } from './npy-writer.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const TOY = join(FIXTURES, 'npy', 'toy');
const expected = JSON.parse(readFileSync(join(FIXTURES, 'fedmultimodal', 'expected.json'), 'utf8')) as {
  groups: Record<string, string[]>;
  items: Record<string, { label: number; audioFrames: number; videoFrames: number; videoSum: number }>;
};
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function copyToy(mutate: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'npy-ds-'));
  made.push(dir);
  cpSync(TOY, dir, { recursive: true });
  mutate(dir);
  return dir;
}

function editMeta(dir: string, edit: (meta: any) => void): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  const file = join(dir, 'dataset.json');
  const meta = JSON.parse(readFileSync(file, 'utf8'));
  edit(meta);
  writeFileSync(file, JSON.stringify(meta));
}

function dataError(dir: string, opts?: NpyOptions): DataError {
  try {
    loadNpyDataset(dir, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(DataError);
    return err as DataError;
  }
  throw new Error('expected a DataError, the load succeeded');
}

describe('loadNpyDataset on the fixture', () => {
  const d = loadNpyDataset(TOY);
  const { store, split } = d;

  it('clients from clients.npy sorted as strings, dev and test from split.npy', () => {
    expect(split.clients.map((c) => c.id)).toEqual(['0', '1', '10', '2', '3', '4', '5', '6', '7', '8', '9']);
    split.clients.forEach((c) => expect(c.train.map((s) => store.keys![s])).toEqual(expected.groups[c.id]));
    expect(split.dev.map((s) => store.keys![s])).toEqual(expected.groups.dev);
    expect(split.test.length).toBe(8);
    expect(store.classNames).toEqual(['Archery', 'Basketball', 'Drumming', 'Haircut', 'Typing']);
  });

  it('labels, int64 lengths, float64 video converted: same values as the pickles', () => {
    const fmm = loadFedMultimodal({ outputDir: join(FIXTURES, 'fedmultimodal', 'output'), dataset: 'toyucf', alpha: 0.1, fold: 1 });
    for (const [key, facts] of Object.entries(expected.items)) {
      const s = store.keys!.indexOf(key);
      const t = fmm.store.keys!.indexOf(key);
      expect([store.labels[s], store.audio.lengths[s], store.video!.lengths[s]]).toEqual([facts.label, facts.audioFrames, facts.videoFrames]);
      expect(Array.from(store.audio.data.subarray(s * 240, (s + 1) * 240))).toEqual(Array.from(fmm.store.audio.data.subarray(t * 240, (t + 1) * 240)));
      expect(Array.from(store.video!.data.subarray(s * 48, (s + 1) * 48))).toEqual(Array.from(fmm.store.video!.data.subarray(t * 48, (t + 1) * 48)));
    }
    expect(split.clients.every((c) => c.hasAudio)).toBe(true);
  });

  it('loadDataset({ kind: "npy" }) is the same load', () => {
    const e = loadDataset({ kind: 'npy', dir: TOY });
    expect(e.split).toEqual(split);
    expect(e.source).toBe(d.source);
  });
});

describe('without a clients array: Dirichlet partition', () => {
  const dir = copyToy((dir) => editMeta(dir, (m) => delete m.clients));

  it('needs numClients, alpha and seed', () => {
    expect(() => loadNpyDataset(dir)).toThrow(ConfigError);
    expect(() => loadNpyDataset(dir, { numClients: 3, alpha: 1 })).toThrow(/seed/);
  });

  it('partitions exactly the train samples, deterministically, ids sorted as strings', () => {
    const opts = { numClients: 12, alpha: 5, seed: 11, minSamples: 1 };
    const a = loadNpyDataset(dir, opts);
    const b = loadNpyDataset(dir, opts);
    expect(a.split).toEqual(b.split);
    expect(a.split.clients.map((c) => c.id)).toEqual(['0', '1', '10', '11', '2', '3', '4', '5', '6', '7', '8', '9']);
    const train = Object.entries(expected.groups).filter(([g]) => g !== 'dev' && g !== 'test').flatMap(([, keys]) => keys);
    const assigned = a.split.clients.flatMap((c) => c.train.map((s) => a.store.keys![s]));
    expect(assigned.sort()).toEqual(train.sort());
    expect(a.source).toMatch(/dirichlet alpha=5 clients=12 seed=11/);
  });
});

describe('refused NPY folders', () => {
  it('NaN in features names the sample key, frame and dim', () => {
    const dir = copyToy((dir) => {
      const file = join(dir, 'audio.npy');
      const bytes = readFileSync(file);
      // sample 3, frame 2, dim 5 (inside its true length)
      bytes.writeFloatLE(NaN, readNpyHeader(file).dataOffset + (3 * 240 + 2 * 8 + 5) * 4);
      writeFileSync(file, bytes);
    });
    const err = dataError(dir);
    expect([err.itemKey, err.field]).toEqual([expected.groups['0'][3], 'audio features']);
    expect(err.problem).toMatch(/NaN at frame 2, dim 5/);
  });

  it('lengths past frames, label out of range, bad split code, train sample without a client', () => {
    const ints = (name: string, values: number[], descr = '<i4') => (dir: string) =>
      writeFileSync(join(dir, name), npyBytes(descr, [values.length], descr === '<i4' ? Int32Array.from(values) : BigInt64Array.from(values.map(BigInt))));
    const n = 56;
    const some = (at: number, value: number, fill: number) => Array.from({ length: n }, (_, i) => (i === at ? value : fill));
    expect(dataError(copyToy(ints('video_lengths.npy', some(4, 5, 1)))).problem).toBe('5 is outside [0, 4]');
    const label = dataError(copyToy(ints('labels.npy', some(7, 5, 0), '<i8')));
    expect([label.field, label.itemKey, label.problem]).toEqual(['labels', '#7', '5 is outside [0, 5)']);
    expect(dataError(copyToy(ints('split.npy', some(0, 3, 0)))).problem).toMatch(/3 is not 0 \(train\)/);
    expect(dataError(copyToy(ints('clients.npy', some(0, -1, 0)))).problem).toMatch(/client id -1/);
    expect(dataError(copyToy(ints('split.npy', some(0, 2, 0)))).problem).toBe('no dev sample (code 1)');
    expect(dataError(copyToy(ints('labels.npy', [1, 2, 3]))).field).toBe('labels shape');
  });

  it('dataset.json: schema errors, shape mismatch, missing array file', () => {
    const schema = dataError(copyToy((dir) => editMeta(dir, (m) => delete m.labels)));
    expect([schema.file.endsWith('dataset.json'), schema.field]).toEqual([true, 'labels']);
    const frames = dataError(copyToy((dir) => editMeta(dir, (m) => { m.modalities.audio.frames = 31; })));
    expect(frames.problem).toBe('[56,30,8] does not match [56, 31, 8] from dataset.json');
    const missing = dataError(copyToy((dir) => unlinkSync(join(dir, 'split.npy'))));
    expect([missing.file.endsWith('split.npy'), missing.problem]).toEqual([true, 'missing (no such file)']);
    expect(dataError(join(TOY, 'no-such-dir')).problem).toBe('missing (no such file)');
  });
});
