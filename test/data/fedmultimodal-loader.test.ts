/**
 * End-to-end load of the committed FedMultimodal-shaped fixture (written by
 * scripts/make-fedmultimodal-fixture.py with real numpy; see expected.json for what it wrote).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fedMultimodalPaths } from '../../src/data/fedmultimodal/fedmultimodal-paths.js';
import { loadFedMultimodal } from '../../src/data/fedmultimodal/load-fedmultimodal.js';
import { loadDataset } from '../../src/data/load-dataset.js';
import type { LoadedDataset, SequenceBlock } from '../../src/data/types.js';
import { rewritePickle } from './fedmultimodal-pickle-writer.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'fedmultimodal');
const OUTPUT = join(FIXTURE, 'output');
interface ItemFacts {
  label: number;
  audioFrames: number;
  videoFrames: number;
  audioSum: number;
  videoSum: number;
  audioFirst: number;
  audioLast: number;
  videoFirst: number | null;
}
const expected = JSON.parse(readFileSync(join(FIXTURE, 'expected.json'), 'utf8')) as {
  classNames: string[];
  groups: Record<string, string[]>;
  items: Record<string, ItemFacts>;
};
const base = { outputDir: OUTPUT, dataset: 'toyucf', alpha: 0.1, fold: 1 };

/** Sum (float64) of sample s's first `frames` frames. */
function sumFrames(block: SequenceBlock, s: number, frames: number): number {
  const start = s * block.frames * block.dims;
  let total = 0;
  for (let i = start; i < start + frames * block.dims; i++) total += block.data[i];
  return total;
}

function sampleOf(d: LoadedDataset, key: string): number {
  const s = d.store.keys!.indexOf(key);
  expect(s, key).toBeGreaterThanOrEqual(0);
  return s;
}

describe('loadFedMultimodal on the fixture (no simulation)', () => {
  const d = loadFedMultimodal(base);
  const { store, split } = d;
  // 11 clients, sorted as strings: "10" comes right after "1".
  const ids = ['0', '1', '10', '2', '3', '4', '5', '6', '7', '8', '9'];

  it('sizes, shapes, class names and client order', () => {
    const total = Object.values(expected.groups).reduce((n, g) => n + g.length, 0);
    expect(store.numSamples).toBe(total);
    expect(store.numClasses).toBe(5);
    expect(store.classNames).toEqual(expected.classNames);
    expect([store.audio.frames, store.audio.dims]).toEqual([30, 8]);
    expect([store.video!.frames, store.video!.dims]).toEqual([4, 12]);
    expect(split.clients.map((c) => c.id)).toEqual(ids);
    expect(split.dev.length).toBe(6);
    expect(split.test.length).toBe(8);
    expect(d.source).toContain('alpha=01 fold=1');
  });

  it('sample order: clients in string order, then dev, then test, items in file order', () => {
    const order = [...ids, 'dev', 'test'].flatMap((g) => expected.groups[g]);
    expect(store.keys).toEqual(order);
    split.clients.forEach((c) => expect(c.train.map((s) => store.keys![s])).toEqual(expected.groups[c.id]));
    expect(split.dev.map((s) => store.keys![s])).toEqual(expected.groups.dev);
    expect(split.test.map((s) => store.keys![s])).toEqual(expected.groups.test);
  });

  it('labels, lengths, feature values and zero padding match what the script wrote', () => {
    for (const [key, facts] of Object.entries(expected.items)) {
      const s = sampleOf(d, key);
      expect(store.labels[s], key).toBe(facts.label);
      expect(store.audio.lengths[s], key).toBe(facts.audioFrames);
      expect(store.video!.lengths[s], key).toBe(facts.videoFrames);
      expect(sumFrames(store.audio, s, 30), key).toBeCloseTo(facts.audioSum, 3);
      expect(sumFrames(store.video!, s, 4), key).toBeCloseTo(facts.videoSum, 3);
      expect(store.audio.data[s * 30 * 8], key).toBe(facts.audioFirst);
      expect(store.audio.data[s * 30 * 8 + facts.audioFrames * 8 - 1], key).toBe(facts.audioLast);
      if (facts.videoFirst !== null) expect(store.video!.data[s * 4 * 12]).toBe(Math.fround(facts.videoFirst));
      // Padding past the true length is zero.
      const pad = store.audio.data.subarray(s * 240 + facts.audioFrames * 8, (s + 1) * 240);
      expect(pad.every((v) => v === 0), key).toBe(true);
    }
  });

  it('None videos are length 0; hasVideo means at least one training sample has video', () => {
    const noVideo = Object.entries(expected.items).filter(([, f]) => f.videoFrames === 0);
    expect(noVideo.length).toBeGreaterThan(0);
    for (const c of split.clients) {
      expect(c.hasAudio).toBe(true);
      expect(c.hasVideo).toBe(expected.groups[c.id].some((k) => expected.items[k].videoFrames > 0));
    }
  });

  it('reads every pickle variant: numpy 1 and 2 module paths, protocols 2, 4 and 5, float64', () => {
    // Client 0 item 1 was written as float64, client 1 with numpy._core, 2's video with protocol 4,
    // 4's audio with protocol 2: their values must be exactly what the script wrote.
    for (const [group, position] of [['0', 1], ['1', 0], ['2', 0], ['4', 0]] as const) {
      const key = expected.groups[group][position];
      const s = sampleOf(d, key);
      expect(store.audio.data[s * 240]).toBe(expected.items[key].audioFirst);
      expect(sumFrames(store.video!, s, 4)).toBeCloseTo(expected.items[key].videoSum, 3);
    }
  });

  it('features live in SharedArrayBuffers', () => {
    expect(store.audio.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(store.video!.lengths.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(store.labels.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});

describe('loadFedMultimodal with the missing-modality simulation file', () => {
  const plain = loadFedMultimodal(base);
  const d = loadFedMultimodal({ ...base, missingRate: 0.5 });
  const client = (id: string) => d.split.clients.find((c) => c.id === id)!;
  const samples = (id: string) => expected.groups[id].map((k) => sampleOf(d, k));

  it('client 3 loses video: lengths 0, features zeroed, hasVideo false, audio intact', () => {
    expect(client('3')).toMatchObject({ hasAudio: true, hasVideo: false });
    expect(client('3').train.length).toBe(expected.groups['3'].length);
    for (const s of samples('3')) {
      expect(d.store.video!.lengths[s]).toBe(0);
      expect(sumFrames(d.store.video!, s, 4)).toBe(0);
      expect(d.store.audio.lengths[s]).toBe(plain.store.audio.lengths[s]);
    }
  });

  it('client 5 loses audio, client 7 loses both and keeps no training sample', () => {
    expect(client('5')).toMatchObject({ hasAudio: false, hasVideo: true });
    samples('5').forEach((s) => expect(d.store.audio.lengths[s]).toBe(0));
    // Items with no modality left are not trainable (FedMultimodal skips such a client).
    expect(client('7')).toMatchObject({ train: [], hasAudio: false, hasVideo: false });
  });

  it('client 9: the simulation label replaces the original, the unlabeled item is not trained on', () => {
    const [first, second] = samples('9');
    const original = expected.items[expected.groups['9'][0]].label;
    expect(d.store.labels[first]).toBe((original + 1) % 5);
    expect(client('9').train).not.toContain(second);
    expect(client('9').train.length).toBe(expected.groups['9'].length - 1);
  });

  it('dev and test are never simulated (the file marks dev video-missing; it is ignored)', () => {
    for (const s of [...d.split.dev, ...d.split.test]) {
      expect(d.store.video!.lengths[s]).toBe(plain.store.video!.lengths[s]);
    }
  });

  it('missingFile (relative to outputDir) is the same as missingRate', () => {
    const e = loadFedMultimodal({ ...base, missingFile: 'simulation_feature/toyucf/fold1/mm05_alpha01.json' });
    expect(e.split).toEqual(d.split);
    expect(Array.from(e.store.video!.lengths)).toEqual(Array.from(d.store.video!.lengths));
  });
});

describe('frame caps and loadDataset', () => {
  it('truncates to maxAudioFrames / maxVideoFrames and records the true (capped) lengths', () => {
    const full = loadFedMultimodal(base);
    const capped = loadFedMultimodal({ ...base, maxAudioFrames: 20, maxVideoFrames: 2 });
    expect([capped.store.audio.frames, capped.store.video!.frames]).toEqual([20, 2]);
    for (let s = 0; s < full.store.numSamples; s++) {
      const a = Math.min(full.store.audio.lengths[s], 20);
      expect(capped.store.audio.lengths[s]).toBe(a);
      expect(capped.store.video!.lengths[s]).toBe(Math.min(full.store.video!.lengths[s], 2));
      expect(Array.from(capped.store.audio.data.subarray(s * 160, s * 160 + a * 8))).toEqual(
        Array.from(full.store.audio.data.subarray(s * 240, s * 240 + a * 8)),
      );
    }
  });

  it('loadDataset dispatches on kind; alpha 5 and "0.1" spell the same tags as Python', () => {
    const d = loadDataset({ kind: 'fedmultimodal', ...base, alpha: '0.1' });
    expect(d.store.numSamples).toBe(loadFedMultimodal(base).store.numSamples);
    expect(() => loadDataset({ kind: 'fedmultimodal', ...base, alpha: 5 })).toThrow(/partition_alpha50\.json/);
  });
});

describe('a dataset without any video', () => {
  it('every video None: store.video is null, no client has video, audio loads as before', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fmm-novideo-'));
    try {
      cpSync(OUTPUT, dir, { recursive: true });
      const paths = fedMultimodalPaths(dir, 'toyucf', 0.1, 1);
      for (const group of Object.keys(expected.groups)) {
        rewritePickle(paths.videoPickle(group), (items) => items.forEach((it) => (it.array = null)));
      }
      const d = loadFedMultimodal({ ...base, outputDir: dir });
      expect(d.store.video).toBeNull();
      expect(d.split.clients.every((c) => c.hasAudio && !c.hasVideo)).toBe(true);
      expect(Array.from(d.store.audio.data)).toEqual(Array.from(loadFedMultimodal(base).store.audio.data));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
