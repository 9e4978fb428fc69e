/**
 * The lazy second pass of the FedMultimodal loader. The first pass (scan-groups.ts) already read
 * every pickle for its shapes, so each sample's length is known without copying a feature: lengths
 * are set for all samples now, and a group's features are copied from its pickles when one of its
 * samples is first asked for (its client's first contact). A pickle read then must still hold what
 * the scan saw: the copy's lengths are compared with the ones set at load.
 */
import { DataError } from '../../core/errors.js';
import { LazySamples } from '../lazy-samples.js';
import type { FeatureStore, SequenceBlock } from '../types.js';
import { fillGroup } from './fill-groups.js';
import type { SimulationFlags } from './partition-file.js';
import { ReadBuffer } from './read-pickle.js';
import type { GroupScan, ReadBuffers } from './scan-groups.js';

/** Where each group's samples start in the store (`firsts[g]`, ascending), with the groups and their flags. */
export interface GroupLayout {
  scans: GroupScan[];
  firsts: number[];
  flags: (g: number) => SimulationFlags[] | undefined;
}

/** Sets every sample's lengths from the scans: what the eager copy would set (0 for None or masked items). */
export function setScannedLengths(store: FeatureStore, layout: GroupLayout): void {
  layout.scans.forEach((scan, g) => {
    const flags = layout.flags(g);
    for (let i = 0; i < scan.keys.length; i++) {
      const s = layout.firsts[g] + i;
      store.audio.lengths[s] = flags?.[i].missAudio ? 0 : Math.min(scan.audioFrames[i], store.audio.frames);
      if (store.video) store.video.lengths[s] = flags?.[i].missVideo ? 0 : Math.min(scan.videoFrames[i], store.video.frames);
    }
  });
}

/**
 * The lazy loader of a store laid out as `layout`, whose lengths setScannedLengths set, with the
 * samples of `preload` (dev and test) read now. Its read buffers are its own: the first pass's,
 * sized for the largest pickle (often test), are not kept alive for the whole run, nor are the ones
 * the preload grew; a client's files are read into buffers that grow only to client-file sizes.
 */
export function lazyGroups(store: FeatureStore, layout: GroupLayout, preload: readonly number[]): LazySamples {
  let buffers: ReadBuffers = { audio: new ReadBuffer(), video: new ReadBuffer() };
  const { scans, firsts } = layout;
  const groupOf = (sample: number): number => {
    let lo = 0;
    let hi = firsts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (firsts[mid] <= sample) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const range = (g: number) => Array.from({ length: scans[g].keys.length }, (_, i) => firsts[g] + i);
  const fill = (samples: readonly number[]) => {
    const groups = new Set(samples.map(groupOf));
    for (const g of groups) fillScannedGroup(store, layout, g, buffers);
  };
  const lazy = new LazySamples(store.numSamples, fill, (sample) => range(groupOf(sample)));
  lazy.ensure(preload);
  buffers = { audio: new ReadBuffer(), video: new ReadBuffer() };
  return lazy;
}

/** Copies group `g`'s features; a pickle that no longer matches its scan is a DataError naming it. */
function fillScannedGroup(store: FeatureStore, layout: GroupLayout, g: number, buffers: ReadBuffers): void {
  const scan = layout.scans[g];
  const first = layout.firsts[g];
  const flags = layout.flags(g);
  const n = scan.keys.length;
  const expected = { audio: store.audio.lengths.slice(first, first + n), video: store.video?.lengths.slice(first, first + n) ?? null };
  // fillGroup sets the length of each item it copies; the others must read 0, as in an eager load.
  store.audio.lengths.fill(0, first, first + n);
  store.video?.lengths.fill(0, first, first + n);
  try {
    fillGroup(scan, first, store.audio, store.video, (i) => flags?.[i].missAudio ?? false, (i) => flags?.[i].missVideo ?? false, buffers);
    compareLengths(store.audio, expected.audio, first, scan, scan.audioFile, 'audio');
    if (store.video && expected.video) compareLengths(store.video, expected.video, first, scan, scan.videoFile, 'video');
  } catch (error) {
    // Leave the group as it was at load (lengths from the scan, features unread) for the error report.
    store.audio.lengths.set(expected.audio, first);
    if (store.video && expected.video) store.video.lengths.set(expected.video, first);
    throw error;
  }
}

function compareLengths(block: SequenceBlock, expected: Int32Array, first: number, scan: GroupScan, file: string, modality: string): void {
  for (let i = 0; i < expected.length; i++) {
    const now = block.lengths[first + i];
    if (now !== expected[i]) {
      throw new DataError(file, scan.keys[i], `${modality} features`, `changed since the data was loaded: ${now} frames used now, ${expected[i]} when it was scanned`);
    }
  }
}
