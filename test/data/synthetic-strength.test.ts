/**
 * The synthetic data must have the modality strengths it claims, measured with a nearest-class-mean
 * classifier on time-pooled features (close to the best a classifier can do on this data, and
 * independent of any FL method). Numbers measured on seeds 1–3 of the default scenario:
 * audio ≈ 0.38–0.49 on the other classes, 0.78–0.89 on the dominant ones; video ≈ 0.75–0.83 and
 * 0.35–0.49; audio-visual ≈ 0.86–0.87 overall. Thresholds leave room for seed variation.
 */
import { describe, expect, it } from 'vitest';
import { buildSyntheticDataset } from '../../src/data/synthetic.js';
import { meanOver, ncmAccuracy } from './nearest-class-mean.js';

describe.each([1, 2])('default synthetic scenario, seed %i', (seed) => {
  const ds = buildSyntheticDataset({ seed });
  const train = [...ds.split.clients.flatMap((c) => c.train), ...ds.split.dev];
  const dominant = ds.classes.filter((k) => k.audioDominant).map((k) => k.index);
  const others = ds.classes.filter((k) => !k.audioDominant).map((k) => k.index);
  const audio = ncmAccuracy(ds.store, train, ds.split.test, 'audio');
  const video = ncmAccuracy(ds.store, train, ds.split.test, 'video');
  const both = ncmAccuracy(ds.store, train, ds.split.test, 'both');

  it('has two acoustically dominant classes out of ten', () => {
    expect(dominant).toHaveLength(2);
  });

  it('video beats audio on the other classes; audio beats video on the dominant ones', () => {
    expect(meanOver(video.perClass, others)).toBeGreaterThan(meanOver(audio.perClass, others) + 0.2);
    expect(meanOver(audio.perClass, dominant)).toBeGreaterThan(meanOver(video.perClass, dominant) + 0.2);
  });

  it('audio alone is well above chance (0.1) yet far from perfect', () => {
    expect(audio.overall).toBeGreaterThan(0.3);
    expect(audio.overall).toBeLessThan(0.7);
    expect(meanOver(audio.perClass, others)).toBeGreaterThan(0.25);
  });

  it('audio + video is clearly better than either alone, but not perfect', () => {
    expect(both.overall).toBeGreaterThan(Math.max(audio.overall, video.overall) + 0.05);
    expect(both.overall).toBeLessThan(0.98);
  });
});
