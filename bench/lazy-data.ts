/**
 * Eager vs lazy loading of real per-client data, side by side. Writes a dataset with many clients
 * to a temporary folder — an NPY folder (audio features [N, frames, dims] float32, clients.npy
 * naming each training sample's client) or a FedMultimodal `output/` folder (one audio pickle and
 * one video pickle, video None, per client) — with a small dev and test set, then in one child
 * process per mode loads it and runs a few rounds that contact few clients (fake trainer: the
 * engine and the data, not tfjs), and reports load time, RSS added by the load, peak RSS, samples
 * read and the run's hashes.
 *   npm run bench:lazy [-- --format npy|fedmultimodal --clients 2000 --per-client 5 --frames 100 --dims 64 --rounds 5 --per-round 10]
 * Benchmarks may read the wall clock; the engine never does.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { lazySamplesOf } from '../src/data/lazy-samples.js';
import { buildRunConfig } from '../src/engine/build-run-config.js';
import { loadScenarioData } from '../src/scenario/prepare-dataset.js';
import { runSimulation } from '../src/engine/run-simulation.js';
import { renderTextTable } from '../src/report/text-table.js';
import { validateScenario } from '../src/scenario/load-scenario.js';
import { FakeTrainer } from '../src/train/fake-trainer.js';
import { pickleFeatureList, type RawItem } from '../test/data/fedmultimodal-pickle-writer.js';
import { npyHeader, writeNpy } from './write-npy.js';

const { values } = parseArgs({
  options: {
    format: { type: 'string', default: 'npy' },
    clients: { type: 'string', default: '2000' },
    'per-client': { type: 'string', default: '5' },
    frames: { type: 'string', default: '100' },
    dims: { type: 'string', default: '64' },
    rounds: { type: 'string', default: '5' },
    'per-round': { type: 'string', default: '10' },
    one: { type: 'string' },
    dir: { type: 'string' },
  },
});
const [clients, perClient, frames, dims, rounds, perRound] = ['clients', 'per-client', 'frames', 'dims', 'rounds', 'per-round'].map((k) => Number(values[k as keyof typeof values]));
const HELD_OUT = 500; // dev and test samples each

/** One sample's features (label-dependent values, so they are not all alike). */
function sampleValues(i: number, out: Float32Array): Float32Array {
  for (let j = 0; j < out.length; j++) out[j] = ((i * 31 + j * 7) % 97) / 97 - 0.5 + (i % 10) * 0.01;
  return out;
}

/** Writes a FedMultimodal `output/` folder (dataset `bench`, alpha 0.1, fold 1); returns its total feature bytes. */
function writeFedMultimodal(dir: string): number {
  const groups: Record<string, Array<[string, string, number]>> = {};
  const features = (modality: string, feature: string) => join(dir, 'feature', modality, feature, 'bench', 'alpha01', 'fold1');
  mkdirSync(features('audio', 'mfcc'), { recursive: true });
  mkdirSync(features('video', 'mobilenet_v2'), { recursive: true });
  mkdirSync(join(dir, 'partition', 'bench', 'fold1'), { recursive: true });
  const names = [...Array.from({ length: clients }, (_, c) => String(c)), 'dev', 'test'];
  let sample = 0;
  const values = new Float32Array(frames * dims);
  for (const name of names) {
    const count = name === 'dev' || name === 'test' ? HELD_OUT : perClient;
    const items: RawItem[] = [];
    for (let k = 0; k < count; k++, sample++) {
      const bytes = new Uint8Array(sampleValues(sample, values).buffer.slice(0));
      items.push({ key: `c${sample % 10}/s${sample}`, path: `s${sample}.wav`, label: sample % 10, array: { dtype: '<f4', shape: [frames, dims], bytes } });
    }
    groups[name] = items.map((it) => [it.key, it.path, it.label]);
    writeFileSync(join(features('audio', 'mfcc'), `${name}.pkl`), pickleFeatureList(items));
    writeFileSync(join(features('video', 'mobilenet_v2'), `${name}.pkl`), pickleFeatureList(items.map((it) => ({ ...it, array: null }))));
  }
  writeFileSync(join(dir, 'partition', 'bench', 'fold1', 'partition_alpha01.json'), JSON.stringify(groups));
  return sample * frames * dims * 4;
}

/** Writes the dataset folder; returns its total feature bytes. */
function writeDataset(dir: string): number {
  if (values.format === 'fedmultimodal') return writeFedMultimodal(dir);
  const train = clients * perClient;
  const n = train + 2 * HELD_OUT;
  const ints = (values: (i: number) => number) => Int32Array.from({ length: n }, (_, i) => values(i));
  writeNpy(join(dir, 'labels.npy'), { data: ints((i) => i % 10), shape: [n] });
  writeNpy(join(dir, 'split.npy'), { data: ints((i) => (i < train ? 0 : i < train + HELD_OUT ? 1 : 2)), shape: [n] });
  writeNpy(join(dir, 'clients.npy'), { data: ints((i) => (i < train ? Math.floor(i / perClient) : -1)), shape: [n] });
  writeFileSync(join(dir, 'dataset.json'), JSON.stringify({
    format: 'modality-mirror-npy', version: 1, name: 'bench-lazy', classes: Array.from({ length: 10 }, (_, c) => `c${c}`), numSamples: n,
    modalities: { audio: { features: 'audio.npy', frames, dims } }, labels: 'labels.npy', split: 'split.npy', clients: 'clients.npy',
  }));
  // Features streamed out one sample at a time (label-dependent values, so they are not all alike).
  const fd = openSync(join(dir, 'audio.npy'), 'w');
  writeSync(fd, npyHeader('<f4', [n, frames, dims]));
  const sample = new Float32Array(frames * dims);
  for (let i = 0; i < n; i++) writeSync(fd, new Uint8Array(sampleValues(i, sample).buffer));
  closeSync(fd);
  return n * frames * dims * 4;
}

/** One mode's measurement, in this process (so its RSS is its own). */
async function measureOne(dir: string, load: 'eager' | 'lazy'): Promise<Record<string, number | string>> {
  const scenario = validateScenario({
    name: 'bench-lazy', summary: 'lazy data bench', videoMissingRate: null,
    data: values.format === 'fedmultimodal' ? { kind: 'fedmultimodal', outputDir: dir, dataset: 'bench', alpha: 0.1, fold: 1, load } : { kind: 'npy', dir, load },
    algorithm: { name: 'unifl', rounds }, rounds: { clientsPerRound: perRound }, evalBatchSize: 64,
  }, 'bench');
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now(); // wall-clock ok: benchmark
  const dataset = loadScenarioData(scenario, 'bench');
  const loadSeconds = (performance.now() - t0) / 1000; // wall-clock ok: benchmark
  const rssAfterLoad = process.memoryUsage().rss;
  const config = buildRunConfig(scenario, dataset, 'bench');
  const trainer = new FakeTrainer({ labels: dataset.store.labels, numClasses: dataset.store.numClasses });
  const t1 = performance.now(); // wall-clock ok: benchmark
  const result = await runSimulation(config, trainer, { retainTrace: false });
  const runSeconds = (performance.now() - t1) / 1000; // wall-clock ok: benchmark
  const contacted = new Set(result.rounds.flatMap((r) => r.selected)).size;
  return {
    load, loadSeconds, runSeconds, contacted,
    rssAfterLoadMiB: (rssAfterLoad - rssBefore) / 2 ** 20,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    samplesRead: lazySamplesOf(dataset.store)?.loadedCount ?? dataset.store.numSamples,
    traceHash: result.traceHash.slice(0, 12), weightsHash: result.weightsHash.slice(0, 12),
  };
}

if (values.format !== 'npy' && values.format !== 'fedmultimodal') throw new Error(`--format ${values.format}: npy or fedmultimodal`);
if (values.one !== undefined) {
  process.stdout.write(`${JSON.stringify(await measureOne(values.dir!, values.one as 'eager' | 'lazy'))}\n`);
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'bench-lazy-'));
try {
  const t0 = performance.now(); // wall-clock ok: benchmark
  const bytes = writeDataset(dir);
  process.stdout.write(`wrote ${values.format} ${dir}: ${clients} clients × ${perClient} samples + ${2 * HELD_OUT} dev/test, audio [${frames}, ${dims}] float32: ${(bytes / 2 ** 20).toFixed(0)} MiB of features in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`); // wall-clock ok
  const rows: Array<Record<string, number | string>> = [];
  // Lazy first: the eager child then reads from a page cache the lazy one barely warmed (the order
  // favours eager, if anything).
  for (const load of ['lazy', 'eager'] as const) {
    const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--one', load, '--dir', dir, ...process.argv.slice(2)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    rows.push(JSON.parse(out.trim().split('\n').pop()!) as Record<string, number | string>);
  }
  process.stdout.write(`fake trainer, ${rounds} rounds × ${perRound} clients, one process per mode\n${renderTextTable(
    ['load', 'load (s)', 'RSS added by load (MiB)', 'peak RSS (MiB)', 'samples read', 'clients contacted', 'run (s)', 'traceHash', 'weightsHash'],
    rows.map((r) => [r.load, (r.loadSeconds as number).toFixed(2), (r.rssAfterLoadMiB as number).toFixed(0), (r.peakRssMiB as number).toFixed(0), r.samplesRead, r.contacted, (r.runSeconds as number).toFixed(2), r.traceHash, r.weightsHash]),
  )}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
