/**
 * Second pass of the FedMultimodal loader: re-reads each group's pickles one at a time and copies
 * the features into the shared store (truncated to the store's frames, padding left at 0), checking
 * that every copied value is finite. Items whose modality is masked stay all-zero with length 0.
 */
import { DataError } from '../../core/errors.js';
import type { SequenceBlock } from '../types.js';
import { decodeFloatsInto, firstNonFinite, type FloatKind } from '../npy/decode-float.js';
import type { FeatureItem } from './feature-items.js';
import { readGroupFile, type GroupScan, type ReadBuffers } from './scan-groups.js';

/** Copies one group's features into `audio` / `video` from sample index `first` on. */
export function fillGroup(
  scan: GroupScan,
  first: number,
  audio: SequenceBlock,
  video: SequenceBlock | null,
  maskAudio: (position: number) => boolean,
  maskVideo: (position: number) => boolean,
  buffers?: ReadBuffers,
): void {
  fillModality(scan, scan.audioFile, 'audio', first, audio, maskAudio, buffers);
  if (video) fillModality(scan, scan.videoFile, 'video', first, video, maskVideo, buffers);
}

function fillModality(
  scan: GroupScan,
  file: string,
  modality: 'audio' | 'video',
  first: number,
  block: SequenceBlock,
  masked: (position: number) => boolean,
  buffers?: ReadBuffers,
): void {
  const items = readGroupFile(file, modality, buffers?.[modality]);
  if (items.length !== scan.keys.length) {
    throw new DataError(file, null, 'items', `changed while loading: ${items.length} items, ${scan.keys.length} before`);
  }
  items.forEach((item, position) => {
    if (item.key !== scan.keys[position]) {
      throw new DataError(file, item.key, 'key', `changed while loading: position ${position} held ${JSON.stringify(scan.keys[position])}`);
    }
    if (item.array === null || item.frames === 0 || masked(position)) return;
    copyItem(item, file, modality, first + position, block);
  });
}

function copyItem(item: FeatureItem, file: string, modality: string, sample: number, block: SequenceBlock): void {
  const array = item.array!;
  const used = Math.min(item.frames, block.frames);
  const count = used * block.dims;
  const offset = sample * block.frames * block.dims;
  // C order: the first `used` frames are the first `used * dims` values.
  decodeFloatsInto(array.bytes, array.dtype.kind as FloatKind, array.dtype.littleEndian, count, block.data, offset);
  const bad = firstNonFinite(block.data, offset, count);
  if (bad >= 0) {
    const value = block.data[offset + bad];
    const frame = Math.floor(bad / block.dims);
    throw new DataError(file, item.key, `${modality} features`, `${value} at frame ${frame}, dim ${bad % block.dims} (features must be finite)`);
  }
  block.lengths[sample] = used;
}
