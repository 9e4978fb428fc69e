import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildSyntheticDataset, generateSynthetic, generateSyntheticStore } from '../../src/data/synthetic.js';
import { resolveSyntheticParams } from '../../src/data/synthetic-params.js';
import { ucf101SizedParams } from '../../src/data/synthetic-presets.js';
import { ConfigError } from '../../src/core/errors.js';
import type { LoadedDataset } from '../../src/data/types.js';

const tiny = { numClasses: 4, samplesPerClass: 30, audioFrames: 12, audioDims: 5, videoFrames: 4, videoDims: 6, numClients: 4, minSamplesPerClient: 5 };

function storeHash(ds: LoadedDataset): string {
  const h = createHash('sha256');
  const { store } = ds;
  for (const view of [store.labels, store.audio.data, store.audio.lengths, store.video!.data, store.video!.lengths]) {
    h.update(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
  }
  return h.digest('hex');
}

describe('generateSyntheticStore / buildSyntheticDataset', () => {
  it('is byte-identical for the same seed and differs for another seed', () => {
    const a = buildSyntheticDataset({ ...tiny, seed: 7 });
    const b = buildSyntheticDataset({ ...tiny, seed: 7 });
    const c = buildSyntheticDataset({ ...tiny, seed: 8 });
    expect(storeHash(a)).toBe(storeHash(b));
    expect(JSON.stringify(a.split)).toBe(JSON.stringify(b.split));
    expect(storeHash(c)).not.toBe(storeHash(a));
    expect(JSON.stringify(c.split)).not.toBe(JSON.stringify(a.split));
  });

  it('generateSynthetic is the whole pipeline', () => {
    expect(storeHash(generateSynthetic({ ...tiny, seed: 3 }))).toBe(storeHash(buildSyntheticDataset({ ...tiny, seed: 3 })));
  });

  it('has the requested shapes, balanced labels in range and shared memory', () => {
    const { store } = generateSyntheticStore({ ...tiny, seed: 1 });
    expect(store.numSamples).toBe(120);
    expect(store.audio.data.length).toBe(120 * 12 * 5);
    expect(store.video!.data.length).toBe(120 * 4 * 6);
    expect(store.audio.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    const counts = [0, 0, 0, 0];
    for (const label of store.labels) {
      expect(label).toBeGreaterThanOrEqual(0);
      expect(label).toBeLessThan(4);
      counts[label]++;
    }
    expect(counts).toEqual([30, 30, 30, 30]);
    expect(store.keys![0]).toBe('syn-000');
    expect(store.classNames).toHaveLength(4);
  });

  it('draws lengths within the jitter and leaves padding frames at zero', () => {
    const { store } = generateSyntheticStore({ ...tiny, seed: 2, lengthJitter: 0.5 });
    const { frames, dims, data, lengths } = store.audio;
    const seen = new Set<number>();
    for (let i = 0; i < store.numSamples; i++) {
      // 12 frames, jitter 0.5: up to floor(6) frames cut, so lengths 6..12.
      expect(lengths[i]).toBeGreaterThanOrEqual(6);
      expect(lengths[i]).toBeLessThanOrEqual(12);
      seen.add(lengths[i]);
      for (let k = lengths[i] * dims; k < frames * dims; k++) expect(data[i * frames * dims + k]).toBe(0);
      expect(data[i * frames * dims]).not.toBe(0);
    }
    expect(seen.size).toBeGreaterThan(3);
    const still = generateSyntheticStore({ ...tiny, seed: 2, lengthJitter: 0 }).store;
    expect([...still.audio.lengths].every((l) => l === 12)).toBe(true);
  });

  it('changing audio sizes leaves the video features untouched (streams keyed per modality)', () => {
    const a = generateSyntheticStore({ ...tiny, seed: 4 }).store;
    const b = generateSyntheticStore({ ...tiny, seed: 4, audioDims: 9, audioFrames: 20 }).store;
    expect(Buffer.from(b.video!.data.buffer).equals(Buffer.from(a.video!.data.buffer))).toBe(true);
  });

  it('normalises each modality to unit entry variance by a constant factor', () => {
    const variance = (data: Float32Array) => {
      let sum = 0;
      let sq = 0;
      for (const v of data) (sum += v), (sq += v * v);
      return sq / data.length - (sum / data.length) ** 2;
    };
    const params = { seed: 1, numClasses: 10, samplesPerClass: 100, lengthJitter: 0, numClients: 2 };
    const normal = generateSyntheticStore(params).store;
    expect(variance(normal.audio.data)).toBeCloseTo(1, 1);
    expect(variance(normal.video!.data)).toBeCloseTo(1, 1);
    const raw = generateSyntheticStore({ ...params, normalize: false }).store;
    const ratio = raw.audio.data[5] / normal.audio.data[5];
    expect(raw.audio.data[123] / normal.audio.data[123]).toBeCloseTo(ratio, 4);
    // Raw audio entries: clip noise 1.5² + frame noise 1² + signal ≈ 3.25 + ~0.4.
    expect(variance(raw.audio.data)).toBeGreaterThan(3.3);
  });

  it('honours an explicit list of acoustically dominant classes', () => {
    const { classes, store } = generateSyntheticStore({ ...tiny, audioDominantClasses: [2] });
    expect(classes.map((k) => k.audioDominant)).toEqual([false, false, true, false]);
    expect(store.classNames).toEqual(['c0-video', 'c1-video', 'c2-audio', 'c3-video']);
    expect(classes[2].audioSignal).toBe(1);
    expect(classes[2].videoSignal).toBe(0.3);
    for (const k of [0, 1, 3]) {
      expect(classes[k].audioSignal).toBeGreaterThanOrEqual(0.25);
      expect(classes[k].audioSignal).toBeLessThanOrEqual(0.55);
      expect(classes[k].videoSignal).toBe(1);
    }
  });

  it('picks round(fraction × classes) dominant classes by default', () => {
    const { classes } = generateSyntheticStore({ seed: 5, numClasses: 10, samplesPerClass: 5, numClients: 2, minSamplesPerClient: 1 });
    expect(classes.filter((k) => k.audioDominant)).toHaveLength(2);
  });

  it('splits into disjoint dev, test and client sets that cover every sample', () => {
    const ds = buildSyntheticDataset({ seed: 1 });
    const { split, store } = ds;
    const all = [...split.dev, ...split.test, ...split.clients.flatMap((c) => c.train)].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: store.numSamples }, (_, i) => i));
    expect(split.test).toHaveLength(400); // 20% of 200 per class, 10 classes
    expect(split.dev).toHaveLength(320); // 20% of the remaining 160 per class
    expect(split.clients.map((c) => c.id)).toEqual([...split.clients.map((c) => c.id)].sort());
    expect(split.clients.map((c) => c.id).slice(0, 4)).toEqual(['0', '1', '10', '11']);
    expect(split.clients.every((c) => c.train.length >= 10 && c.hasAudio)).toBe(true);
    const noVideo = split.clients.filter((c) => !c.hasVideo).length;
    expect(noVideo).toBeGreaterThan(0);
    expect(noVideo).toBeLessThan(20);
  });
});

describe('synthetic params', () => {
  it('fills documented defaults', () => {
    const p = resolveSyntheticParams();
    expect([p.numClasses, p.samplesPerClass, p.audioFrames, p.audioDims, p.videoFrames, p.videoDims]).toEqual([10, 200, 40, 20, 6, 32]);
    expect([p.numClients, p.alpha, p.videoMissingRate, p.audioMissingRate, p.devFraction]).toEqual([20, 0.5, 0.5, 0, 0.2]);
  });

  it('names the bad field and value', () => {
    expect(() => resolveSyntheticParams({ numClasses: 1 }, 'scenario.ts')).toThrow(/scenario\.ts: numClasses = 1 is invalid/);
    expect(() => resolveSyntheticParams({ alpha: 0 })).toThrow(ConfigError);
    expect(() => resolveSyntheticParams({ alpha: 0 })).toThrow(/alpha = 0/);
    expect(() => resolveSyntheticParams({ videoMissingRate: 1.5 })).toThrow(/videoMissingRate = 1\.5/);
    expect(() => resolveSyntheticParams({ audioDominantClasses: [1, 10] })).toThrow(/audioDominantClasses = \[1,10\]/);
    expect(() => resolveSyntheticParams({ audioDominantClasses: [-1] })).toThrow(/audioDominantClasses\.0 = -1/);
    expect(() => resolveSyntheticParams({ audioSignalMin: 0.9, audioSignalMax: 0.5 })).toThrow(/audioSignalMin = 0\.9/);
    expect(() => resolveSyntheticParams({ numClients: 500 })).toThrow(/numClients = 500.*lower numClients/);
    expect(() => resolveSyntheticParams({ numClass: 3 } as never)).toThrow(/numClass = 3 is invalid: unknown field/);
  });

  it('the UCF101-sized preset has FedMultimodal shapes and passes validation', () => {
    const p = resolveSyntheticParams(ucf101SizedParams({ seed: 9 }));
    expect([p.numClasses, p.audioFrames, p.audioDims, p.videoFrames, p.videoDims, p.numClients]).toEqual([51, 500, 80, 10, 1280, 100]);
    expect(p.numClasses * p.samplesPerClass).toBe(6987);
    expect(p.seed).toBe(9);
  });
});
