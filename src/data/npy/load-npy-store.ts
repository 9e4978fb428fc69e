/**
 * Fills a shared FeatureStore from an NPY dataset folder. Every header is read and checked first
 * (shapes against dataset.json and each other), then the store is allocated once and the feature
 * files stream straight into it, so peak memory stays near one copy of the features. Lazily
 * (`lazy`), labels, split, clients and lengths are read now and the features of a sample only when
 * asked (see lazy-samples.ts): each sample is one contiguous slice of each feature file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, formatValue } from '../../core/errors.js';
import { allocateStore } from '../shared-store.js';
import type { FeatureStore, SequenceBlock } from '../types.js';
import type { DatasetJson } from './dataset-json.js';
import { firstNonFinite } from './decode-float.js';
import { fileStamp, readNpyFloatRanges, readNpyFloatsInto, readNpyHeader, readNpyInts, type ElementRange } from './npy-file.js';
import type { NpyHeader } from './npy-header.js';

/** The store plus the per-sample arrays the split is built from. */
export interface NpyStore {
  store: FeatureStore;
  /** Per sample: 0 train, 1 dev, 2 test. */
  split: Int32Array;
  /** Per sample client id, when the folder assigns clients. */
  clients: Int32Array | null;
  /** Lazily: reads the features of the given samples (sorted, not read before); null when everything was read. */
  fill: ((samples: readonly number[]) => void) | null;
}

type Modality = DatasetJson['modalities']['audio'];

/** Reads the arrays named by `meta` from `dir` (features too, unless `lazy`). */
export function loadNpyStore(dir: string, meta: DatasetJson, lazy = false): NpyStore {
  const path = (name: string) => join(dir, name);
  const audioHeader = featureHeader(path(meta.modalities.audio.features), meta.modalities.audio, meta.numSamples);
  const n = audioHeader.shape[0];
  const video = meta.modalities.video;
  const videoHeader = video ? featureHeader(path(video.features), video, n) : null;
  const ints = (name: string, field: string) => readVector(path(name), field, n);
  const labels = ints(meta.labels, 'labels');
  const split = ints(meta.split, 'split');
  const clients = meta.clients ? ints(meta.clients, 'clients') : null;
  labels.forEach((label, i) => {
    if (label < 0 || label >= meta.classes.length) throw new DataError(path(meta.labels), `#${i}`, 'labels', `${label} is outside [0, ${meta.classes.length})`);
  });
  split.forEach((code, i) => {
    if (code < 0 || code > 2) throw new DataError(path(meta.split), `#${i}`, 'split', `${code} is not 0 (train), 1 (dev) or 2 (test)`);
  });
  const keys = meta.keys ? readKeys(path(meta.keys), n) : undefined;

  const store = allocateStore({
    name: meta.name,
    numSamples: n,
    numClasses: meta.classes.length,
    classNames: meta.classes,
    audio: { frames: meta.modalities.audio.frames, dims: meta.modalities.audio.dims },
    video: video ? { frames: video.frames, dims: video.dims } : null,
  });
  store.labels.set(labels);
  if (keys) store.keys = keys;
  const blocks: BlockSource[] = [{ block: store.audio, file: path(meta.modalities.audio.features), header: audioHeader, modality: 'audio' }];
  if (video && store.video) blocks.push({ block: store.video, file: path(video.features), header: videoHeader!, modality: 'video' });
  setLengths(store.audio, meta.modalities.audio.lengths && path(meta.modalities.audio.lengths), 'audio', keys);
  if (video && store.video) setLengths(store.video, video.lengths && path(video.lengths), 'video', keys);
  if (!lazy) {
    for (const source of blocks) fillBlock(source, keys);
    return { store, split, clients, fill: null };
  }
  // What each feature file was when its header was checked: a lazy read refuses a file changed since.
  const stamps = blocks.map((b) => fileStamp(b.file));
  const fill = (samples: readonly number[]) => {
    blocks.forEach((source, b) => {
      const now = fileStamp(source.file);
      if (now.size !== stamps[b].size || now.mtimeMs !== stamps[b].mtimeMs) {
        throw new DataError(source.file, null, 'file', `changed since the data was loaded (size ${stamps[b].size} → ${now.size}); features read now would not be the data the run started with`);
      }
      fillSamples(source, samples, keys);
    });
  };
  return { store, split, clients, fill };
}

/** One feature file and the block it fills. */
interface BlockSource {
  block: SequenceBlock;
  file: string;
  header: NpyHeader;
  modality: string;
}

function featureHeader(file: string, modality: Modality, n: number | undefined): NpyHeader {
  const header = readNpyHeader(file);
  const [count, frames, dims] = header.shape;
  if (header.shape.length !== 3 || frames !== modality.frames || dims !== modality.dims || (n !== undefined && count !== n)) {
    const want = `[${n ?? 'N'}, ${modality.frames}, ${modality.dims}]`;
    throw new DataError(file, null, 'shape', `${formatValue(header.shape)} does not match ${want} from dataset.json`);
  }
  return header;
}

function readVector(file: string, field: string, n: number): Int32Array {
  const header = readNpyHeader(file);
  if (header.shape.length !== 1 || header.shape[0] !== n) {
    throw new DataError(file, null, `${field} shape`, `${formatValue(header.shape)} is not [${n}] (one value per sample)`);
  }
  return readNpyInts(file, header, field);
}

function readKeys(file: string, n: number): string[] {
  let keys: unknown;
  try {
    keys = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new DataError(file, null, 'keys', (err as Error).message);
  }
  if (!Array.isArray(keys) || keys.length !== n || keys.some((k) => typeof k !== 'string')) {
    throw new DataError(file, null, 'keys', `expected a JSON array of ${n} strings`);
  }
  return keys as string[];
}

/** Sets lengths from the lengths file (default: full), checking each is within [0, frames]. */
function setLengths(block: SequenceBlock, lengthsFile: string | undefined, modality: string, keys?: string[]): void {
  const n = block.lengths.length;
  const lengths = lengthsFile ? readVector(lengthsFile, `${modality} lengths`, n) : new Int32Array(n).fill(block.frames);
  lengths.forEach((len, i) => {
    if (len < 0 || len > block.frames) throw new DataError(lengthsFile!, keys?.[i] ?? `#${i}`, `${modality} lengths`, `${len} is outside [0, ${block.frames}]`);
    block.lengths[i] = len;
  });
}

/** Streams every feature in, zeroes frames past each length, then checks finiteness. */
function fillBlock(source: BlockSource, keys?: string[]): void {
  const { block, file, header } = source;
  readNpyFloatsInto(file, header, block.data);
  for (let i = 0; i < block.lengths.length; i++) zeroPadding(block, i);
  checkFinite(source, 0, header.size, keys);
}

/** Streams the features of `samples` (sorted) in, runs of consecutive samples in one read each. */
function fillSamples(source: BlockSource, samples: readonly number[], keys?: string[]): void {
  const { block, file, header } = source;
  const perSample = block.frames * block.dims;
  const ranges: ElementRange[] = [];
  for (const s of samples) {
    const last = ranges[ranges.length - 1];
    if (last && last.first + last.count === s * perSample) last.count += perSample;
    else ranges.push({ first: s * perSample, count: perSample });
  }
  readNpyFloatRanges(file, header, ranges, block.data);
  for (const s of samples) zeroPadding(block, s);
  for (const { first, count } of ranges) checkFinite(source, first, count, keys);
}

/** The store's contract: padding frames are 0 (whatever the file held there is not data). */
function zeroPadding(block: SequenceBlock, sample: number): void {
  const perSample = block.frames * block.dims;
  block.data.fill(0, sample * perSample + block.lengths[sample] * block.dims, (sample + 1) * perSample);
}

/** Throws a DataError naming the first non-finite value of elements [first, first + count). */
function checkFinite(source: BlockSource, first: number, count: number, keys?: string[]): void {
  const { block, file, modality } = source;
  const perSample = block.frames * block.dims;
  const rel = firstNonFinite(block.data, first, count);
  if (rel < 0) return;
  const bad = first + rel;
  const sample = Math.floor(bad / perSample);
  const within = bad % perSample;
  throw new DataError(file, keys?.[sample] ?? `#${sample}`, `${modality} features`, `${block.data[bad]} at frame ${Math.floor(within / block.dims)}, dim ${within % block.dims} (features must be finite)`);
}
