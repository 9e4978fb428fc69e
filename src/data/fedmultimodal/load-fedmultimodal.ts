/**
 * Loads FedMultimodal's extracted features and partition exactly as its scripts leave them on disk
 * (see docs/data-formats.md) into one shared FeatureStore plus the federated split.
 *
 * Sample order: clients sorted as strings ("0", "1", "10", …), then dev, then test; items in file
 * order. Missing-modality simulation (optional) applies to clients only, as in FedMultimodal, where
 * dev and test are always complete: a missing modality becomes length 0 (features left at 0) for
 * that sample, the simulation's label replaces the original, unlabeled items and items left with
 * no modality at all are kept in the store but not in the client's `train` list.
 * `ClientData.hasVideo` / `hasAudio` mean "holds that modality for at least one training sample";
 * per-sample availability is `lengths[i] > 0`.
 */
import { resolve } from 'node:path';
import { DataError } from '../../core/errors.js';
import { allocateStore } from '../shared-store.js';
import type { ClientData, LoadedDataset } from '../types.js';
import { classNamesFromKeys } from './class-names.js';
import { fedMultimodalPaths, dotlessTag } from './fedmultimodal-paths.js';
import { fillGroup } from './fill-groups.js';
import { readPartitionFile, type PartitionGroups, type SimulationFlags } from './partition-file.js';
import { simulationByClient, simulationFile } from './simulation.js';
import { ReadBuffer } from './read-pickle.js';
import { scanGroup, type DimsState, type GroupScan, type ReadBuffers } from './scan-groups.js';
import { checkOptions } from './check-options.js';
import { lazyGroups, setScannedLengths } from './lazy-groups.js';
import { registerLazySamples, type LoadMode } from '../lazy-samples.js';

/** Where and what to load. */
export interface FedMultimodalOptions {
  /** FedMultimodal's `output/` folder. */
  outputDir: string;
  /** Dataset folder name, e.g. `ucf101`. */
  dataset: string;
  /** Dirichlet alpha of the partition (0.1 → `alpha01`); a string is used as written minus dots. */
  alpha: number | string;
  /** Fold number (1-based, as in `fold1`). */
  fold: number;
  /** Simulation JSON to apply, absolute or relative to `outputDir`. */
  missingFile?: string;
  /** Shorthand for `missingFile`: `simulation_feature/{dataset}/fold{f}/mm{R}_alpha{A}.json`. */
  missingRate?: number;
  /** Number of classes (default: largest label + 1). */
  numClasses?: number;
  /** Frame caps (default: the longest item); longer items are truncated. */
  maxAudioFrames?: number;
  maxVideoFrames?: number;
  /** Feature folder names (default `mfcc`, `mobilenet_v2`). */
  audioFeature?: string;
  videoFeature?: string;
  /** `eager` (default) copies every feature now; `lazy` copies dev and test now, a client's group on first contact. */
  load?: LoadMode;
  /** Called after each group is scanned and after each is copied: (done, total) over 2 × groups. */
  onProgress?: (done: number, total: number) => void;
}

/** Reads a FedMultimodal `output/` folder into a LoadedDataset; bad data throws a DataError before anything is returned. */
export function loadFedMultimodal(opts: FedMultimodalOptions): LoadedDataset {
  checkOptions(opts);
  const paths = fedMultimodalPaths(opts.outputDir, opts.dataset, opts.alpha, opts.fold, {
    audio: opts.audioFeature ?? 'mfcc',
    video: opts.videoFeature ?? 'mobilenet_v2',
  });
  const partition = readPartitionFile(paths.partition);
  const clientIds = clientGroups(partition, paths.partition);
  const simFile = simulationFile(opts, paths);
  const sim = simFile ? simulationByClient(readPartitionFile(simFile, true), partition, clientIds, simFile) : null;
  const order = [...clientIds, 'dev', 'test'];

  // Pass 1: shapes, keys, labels.
  const dims: DimsState = { audio: null, video: null };
  const buffers: ReadBuffers = { audio: new ReadBuffer(), video: new ReadBuffer() };
  const scans: GroupScan[] = order.map((name, g) => {
    const scan = scanGroup(name, partition.get(name)!, paths.partition, paths, dims, buffers);
    opts.onProgress?.(g + 1, 2 * order.length);
    return scan;
  });
  if (dims.audio === null) throw new DataError(paths.audioPickle(order[0]), null, 'audio features', 'no item of any group has audio features');
  const originalLabels = scans.flatMap((s) => s.labels);
  const labels = scans.flatMap((s) => s.labels.map((label, i) => sim?.get(s.name)?.[i].label ?? label));
  const keys = scans.flatMap((s) => s.keys);
  // The class count comes from the data's own labels; a simulated (noisy) label must fall inside it.
  const numClasses = opts.numClasses ?? maxOf(originalLabels, 0) + 1;
  checkLabels(scans, labels, numClasses, sim, simFile);
  const maxFrames = (frames: (s: GroupScan) => number[]) => maxOf(scans.flatMap(frames), 1);

  // Pass 2: allocate once, then copy group by group.
  const store = allocateStore({
    name: opts.dataset,
    numSamples: keys.length,
    numClasses,
    // Names come from the original labels: a noisy simulated label must not break the key ↔ class link.
    classNames: classNamesFromKeys(keys, originalLabels, numClasses),
    audio: { frames: opts.maxAudioFrames ?? maxFrames((s) => s.audioFrames), dims: dims.audio.dims },
    video: dims.video ? { frames: opts.maxVideoFrames ?? maxFrames((s) => s.videoFrames), dims: dims.video.dims } : null,
  });
  store.labels.set(labels);
  store.keys = keys;
  const firsts: number[] = [];
  let first = 0;
  for (const scan of scans) {
    firsts.push(first);
    first += scan.keys.length;
  }
  const flagsOf = (g: number) => sim?.get(scans[g].name);
  if (opts.load === 'lazy') {
    // Lengths from the scan now; features of dev and test now, of a client's group on first contact.
    const layout = { scans, firsts, flags: flagsOf };
    setScannedLengths(store, layout);
    const lazy = lazyGroups(store, layout, [firsts[clientIds.length], firsts[clientIds.length + 1]]);
    registerLazySamples(store, lazy);
    scans.forEach((_, g) => opts.onProgress?.(order.length + g + 1, 2 * order.length));
  } else {
    scans.forEach((scan, g) => {
      const flags = flagsOf(g);
      fillGroup(scan, firsts[g], store.audio, store.video, (i) => flags?.[i].missAudio ?? false, (i) => flags?.[i].missVideo ?? false, buffers);
      opts.onProgress?.(order.length + g + 1, 2 * order.length);
    });
  }

  const range = (g: number) => Array.from({ length: scans[g].keys.length }, (_, i) => firsts[g] + i);
  const clients: ClientData[] = clientIds.map((id, g) => {
    const flags = sim?.get(id);
    const train = range(g).filter((s, i) => !flags?.[i].missingLabel && (store.audio.lengths[s] > 0 || (store.video?.lengths[s] ?? 0) > 0));
    return {
      id,
      train,
      hasAudio: train.some((s) => store.audio.lengths[s] > 0),
      hasVideo: store.video !== null && train.some((s) => store.video!.lengths[s] > 0),
    };
  });
  const missing = simFile ? ` missing=${simFile}` : '';
  return {
    store,
    split: { clients, dev: range(clientIds.length), test: range(clientIds.length + 1) },
    source: `fedmultimodal:${resolve(opts.outputDir)} dataset=${opts.dataset} alpha=${dotlessTag(opts.alpha)} fold=${opts.fold}${missing}`,
  };
}

/** Client group names sorted as strings; dev and test must exist; no group may be empty. */
function clientGroups(partition: PartitionGroups, file: string): string[] {
  for (const name of ['dev', 'test']) {
    if (!partition.has(name)) throw new DataError(file, null, `group ${name}`, 'missing (the partition must hold "dev" and "test")');
  }
  const ids = [...partition.keys()].filter((n) => n !== 'dev' && n !== 'test').sort();
  if (ids.length === 0) throw new DataError(file, null, 'clients', 'no client group');
  for (const name of [...ids, 'dev', 'test']) {
    if (partition.get(name)!.length === 0) throw new DataError(file, null, `group ${name}`, 'empty (no items)');
  }
  return ids;
}

function checkLabels(scans: GroupScan[], labels: number[], numClasses: number, sim: Map<string, SimulationFlags[]> | null, simFile: string | null): void {
  let s = 0;
  for (const scan of scans) {
    for (let i = 0; i < scan.keys.length; i++, s++) {
      if (labels[s] >= 0 && labels[s] < numClasses) continue;
      const file = sim?.has(scan.name) ? simFile! : scan.audioFile;
      throw new DataError(file, scan.keys[i], sim?.has(scan.name) ? 'simulation.label' : 'label', `${labels[s]} is outside [0, ${numClasses})`);
    }
  }
}

/** Largest value (loop, not spread: arrays may be longer than the call-stack limit). */
function maxOf(values: Iterable<number>, floor: number): number {
  let max = floor;
  for (const v of values) if (v > max) max = v;
  return max;
}
