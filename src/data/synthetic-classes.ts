/**
 * Per-class structure of the synthetic dataset: which classes are acoustically dominant, how
 * informative each modality is for each class, and the class prototypes (a static vector plus a
 * time-varying pattern per modality). Each class draws from its own stream, so adding a class or
 * changing one modality's size leaves the other classes and the other modality untouched.
 */
import { rng } from '../core/seed-streams.js';
import { fillNormal } from './gaussian-fill.js';
import type { SyntheticParams } from './synthetic-params.js';

/** The mean pattern of one class in one modality. */
export interface ModalityPrototype {
  /** Signal scale: how far this class's mean sits from the others (0 = uninformative). */
  signal: number;
  /** Static prototype, one value per feature dim (entries ~ N(0, 1)). */
  mean: Float32Array;
  /** Direction of the time-varying part (entries ~ N(0, 1)). */
  motion: Float32Array;
  /** Period of the time-varying part, in frames (>= 2). */
  periodFrames: number;
}

/** Everything that makes one class what it is. */
export interface SyntheticClass {
  index: number;
  /** `c03-audio` for an acoustically dominant class, `c04-video` otherwise. */
  name: string;
  audioDominant: boolean;
  audio: ModalityPrototype;
  video: ModalityPrototype;
}

/** The acoustically dominant classes: the explicit list, else a seeded draw of round(fraction·C) classes. */
export function pickAudioDominant(p: SyntheticParams): number[] {
  if (p.audioDominantClasses) return [...p.audioDominantClasses].sort((a, b) => a - b);
  const count = Math.round(p.audioDominantFraction * p.numClasses);
  const classes = Array.from({ length: p.numClasses }, (_, c) => c);
  return rng(p.seed, 'synthetic', 'dominant').sample(classes, count);
}

function prototype(p: SyntheticParams, modality: 'audio' | 'video', c: number, signal: number): ModalityPrototype {
  const dims = modality === 'audio' ? p.audioDims : p.videoDims;
  const frames = modality === 'audio' ? p.audioFrames : p.videoFrames;
  const stream = rng(p.seed, 'synthetic', 'prototype', modality, c);
  const mean = new Float32Array(dims);
  const motion = new Float32Array(dims);
  fillNormal(stream, mean, 1);
  fillNormal(stream, motion, 1);
  // A period between a quarter of the clip and the whole clip: slow enough to be seen, never aliased.
  const periodFrames = Math.max(2, frames * (0.25 + 0.75 * stream.next()));
  return { signal, mean, motion, periodFrames };
}

/** Builds every class of the dataset described by `p`. */
export function buildClasses(p: SyntheticParams): SyntheticClass[] {
  const dominant = new Set(pickAudioDominant(p));
  const width = String(p.numClasses - 1).length;
  return Array.from({ length: p.numClasses }, (_, c) => {
    const audioDominant = dominant.has(c);
    const u = rng(p.seed, 'synthetic', 'signal', c).next();
    const audioSignal = audioDominant ? p.audioSignalDominant : p.audioSignalMin + (p.audioSignalMax - p.audioSignalMin) * u;
    const videoSignal = audioDominant ? p.videoSignalDominant : p.videoSignal;
    return {
      index: c,
      name: `c${String(c).padStart(width, '0')}-${audioDominant ? 'audio' : 'video'}`,
      audioDominant,
      audio: prototype(p, 'audio', c, audioSignal),
      video: prototype(p, 'video', c, videoSignal),
    };
  });
}

/** A plain-data summary of the classes, for summary.json and reports (no prototype vectors). */
export interface ClassProfile {
  index: number;
  name: string;
  audioDominant: boolean;
  audioSignal: number;
  videoSignal: number;
}

/** Summarises classes for reports. */
export function profileClasses(classes: readonly SyntheticClass[]): ClassProfile[] {
  return classes.map((k) => ({
    index: k.index,
    name: k.name,
    audioDominant: k.audioDominant,
    audioSignal: k.audio.signal,
    videoSignal: k.video.signal,
  }));
}
