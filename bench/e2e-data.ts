/**
 * The data of `npm run bench:e2e`: the engine's synthetic audio-visual generator at the issue's
 * shapes (digits-av-sized: 10 classes × 180 clips, audio 80 dims × 26–102 frames, video 64 dims ×
 * 2–8 frames, 20 Dirichlet(0.5) clients, 20% test, 20% of the rest dev, half the clients without
 * video), exported as an NPY dataset folder (docs/data-formats.md) that the engine (`--data npy:DIR`)
 * and numpy (bench/torch_e2e.py) both read. A client without video has video length 0 on every one
 * of its training clips, so "which clients hold video" is in the data, not drawn by either side.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSyntheticDataset } from '../src/data/synthetic.js';
import type { SyntheticParamsInput } from '../src/data/synthetic-params.js';
import type { LoadedDataset } from '../src/data/types.js';
import { writeNpy } from './write-npy.js';

/** Generator settings of the bench's data (the shapes). */
export const E2E_DATA: SyntheticParamsInput = {
  seed: 1,
  numClasses: 10,
  samplesPerClass: 180,
  audioFrames: 102,
  audioDims: 80,
  videoFrames: 8,
  videoDims: 64,
  lengthJitter: 0.75,
  numClients: 20,
  alpha: 0.5,
  videoMissingRate: 0.5,
};

/** Split codes of split.npy. */
const TRAIN = 0;
const DEV = 1;
const TEST = 2;

/**
 * Writes `dataset` into `dir` as an NPY dataset folder: audio, video (lengths 0 where the client
 * lacks video), labels, split, clients (the client's position in `split.clients`; -1 off train).
 */
export function exportNpyDataset(dataset: LoadedDataset, dir: string, name: string): void {
  const { store, split } = dataset;
  if (!store.video) throw new Error('exportNpyDataset: the dataset has no video');
  mkdirSync(dir, { recursive: true });
  const n = store.numSamples;
  const splitCodes = new Int32Array(n).fill(-1);
  const clients = new Int32Array(n).fill(-1);
  for (const i of split.dev) splitCodes[i] = DEV;
  for (const i of split.test) splitCodes[i] = TEST;
  const videoLengths = Int32Array.from(store.video.lengths);
  const videoData = Float32Array.from(store.video.data);
  const videoRow = store.video.frames * store.video.dims;
  split.clients.forEach((client, position) => {
    for (const i of client.train) {
      splitCodes[i] = TRAIN;
      clients[i] = position;
      if (!client.hasVideo) {
        videoLengths[i] = 0;
        videoData.fill(0, i * videoRow, (i + 1) * videoRow);
      }
    }
  });
  const unused = splitCodes.indexOf(-1);
  if (unused >= 0) throw new Error(`exportNpyDataset: sample ${unused} is in no split`);
  writeNpy(join(dir, 'audio.npy'), { data: Float32Array.from(store.audio.data), shape: [n, store.audio.frames, store.audio.dims] });
  writeNpy(join(dir, 'audio_lengths.npy'), { data: Int32Array.from(store.audio.lengths), shape: [n] });
  writeNpy(join(dir, 'video.npy'), { data: videoData, shape: [n, store.video.frames, store.video.dims] });
  writeNpy(join(dir, 'video_lengths.npy'), { data: videoLengths, shape: [n] });
  writeNpy(join(dir, 'labels.npy'), { data: Int32Array.from(store.labels), shape: [n] });
  writeNpy(join(dir, 'split.npy'), { data: splitCodes, shape: [n] });
  writeNpy(join(dir, 'clients.npy'), { data: clients, shape: [n] });
  const meta = {
    format: 'modality-mirror-npy',
    version: 1,
    name,
    classes: store.classNames,
    numSamples: n,
    modalities: {
      audio: { features: 'audio.npy', frames: store.audio.frames, dims: store.audio.dims, lengths: 'audio_lengths.npy' },
      video: { features: 'video.npy', frames: store.video.frames, dims: store.video.dims, lengths: 'video_lengths.npy' },
    },
    labels: 'labels.npy',
    split: 'split.npy',
    clients: 'clients.npy',
  };
  writeFileSync(join(dir, 'dataset.json'), `${JSON.stringify(meta, null, 1)}\n`);
}

/** Makes the bench's NPY folder in `dir` unless it holds one made from the same settings; returns its description. */
export function ensureE2eData(dir: string, params: SyntheticParamsInput = E2E_DATA): { dir: string; made: boolean } {
  const stamp = join(dir, 'generator.json');
  const wanted = JSON.stringify(params);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === wanted && existsSync(join(dir, 'dataset.json'))) return { dir, made: false };
  const dataset = buildSyntheticDataset(params, 'bench:e2e data');
  exportNpyDataset(dataset, dir, 'bench-e2e');
  writeFileSync(stamp, `${wanted}\n`);
  return { dir, made: true };
}
