/**
 * First pass of the FedMultimodal loader: reads every group's audio and video pickle, checks them
 * against the partition and against each other, and keeps only shapes, keys and labels, so the
 * store can be allocated at its final size before any feature is copied (peak memory ≈ one copy).
 */
import { DataError } from '../../core/errors.js';
import { readFeatureItems, type FeatureItem } from './feature-items.js';
import type { FedMultimodalPaths } from './fedmultimodal-paths.js';
import type { PartitionItem } from './partition-file.js';
import { readPickleFile, type ReadBuffer } from './read-pickle.js';

/** Shapes and labels of one group ("0", …, "dev", "test"), in file order. */
export interface GroupScan {
  name: string;
  audioFile: string;
  videoFile: string;
  keys: string[];
  labels: number[];
  audioFrames: number[];
  videoFrames: number[];
}

/** The first item seen with features of a modality: every other item must have the same dims. */
export interface DimsWitness {
  dims: number;
  file: string;
  key: string;
}

/** Feature dims seen so far, per modality (null until an item has features). */
export interface DimsState {
  audio: DimsWitness | null;
  video: DimsWitness | null;
}

/** Reads and checks one modality's pickle of a group (arrays stay valid until `via` reads again). */
export function readGroupFile(file: string, modality: 'audio' | 'video', via?: ReadBuffer): FeatureItem[] {
  return readFeatureItems(readPickleFile(file, via), file, modality);
}

/** One read buffer per modality: a group's audio and video items are alive at the same time. */
export interface ReadBuffers {
  audio: ReadBuffer;
  video: ReadBuffer;
}

/** Scans one group; `dims` is updated and checked across groups. */
export function scanGroup(
  name: string,
  expected: PartitionItem[],
  partitionFile: string,
  paths: FedMultimodalPaths,
  dims: DimsState,
  buffers?: ReadBuffers,
): GroupScan {
  const audioFile = paths.audioPickle(name);
  const videoFile = paths.videoPickle(name);
  const audio = readGroupFile(audioFile, 'audio', buffers?.audio);
  checkAgainstPartition(audio, expected, audioFile, partitionFile);
  const video = readGroupFile(videoFile, 'video', buffers?.video);
  if (video.length !== audio.length) {
    throw new DataError(videoFile, null, 'items', `holds ${video.length} items, ${audioFile} ${audio.length}`);
  }
  for (let i = 0; i < audio.length; i++) {
    // The feature scripts write both modalities from one list: same keys, same order.
    if (video[i].key !== audio[i].key) {
      throw new DataError(videoFile, video[i].key, 'key', `audio and video lists out of order: position ${i} holds ${JSON.stringify(audio[i].key)} in ${audioFile}`);
    }
    if (video[i].label !== audio[i].label) {
      throw new DataError(videoFile, video[i].key, 'label', `${video[i].label} differs from ${audio[i].label} in ${audioFile}`);
    }
    checkDims(audio[i], audioFile, 'audio', dims);
    checkDims(video[i], videoFile, 'video', dims);
  }
  return {
    name,
    audioFile,
    videoFile,
    keys: audio.map((it) => it.key),
    labels: audio.map((it) => it.label),
    audioFrames: audio.map((it) => it.frames),
    videoFrames: video.map((it) => it.frames),
  };
}

function checkAgainstPartition(items: FeatureItem[], expected: PartitionItem[], file: string, partitionFile: string): void {
  if (items.length !== expected.length) {
    throw new DataError(file, null, 'items', `holds ${items.length} items, ${partitionFile} lists ${expected.length}`);
  }
  for (let i = 0; i < items.length; i++) {
    if (items[i].key !== expected[i].key) {
      throw new DataError(file, items[i].key, 'key', `position ${i} holds this key, ${partitionFile} lists ${JSON.stringify(expected[i].key)}`);
    }
    if (items[i].label !== expected[i].label) {
      throw new DataError(file, items[i].key, 'label', `${items[i].label} differs from ${expected[i].label} in ${partitionFile}`);
    }
  }
}

function checkDims(item: FeatureItem, file: string, modality: 'audio' | 'video', dims: DimsState): void {
  if (item.array === null) return;
  const seen = dims[modality];
  if (seen === null) {
    dims[modality] = { dims: item.dims, file, key: item.key };
  } else if (seen.dims !== item.dims) {
    throw new DataError(file, item.key, `${modality} feature dims`, `${item.dims} differs from ${seen.dims} (item ${seen.key} of ${seen.file})`);
  }
}
