/**
 * Lazy loading of the committed NPY and FedMultimodal fixtures: dev and test read at load, a
 * client's features on its first contact, bit for bit what an eager load reads; a run gives the
 * eager run's hashes, also when resumed from a checkpoint; bad data met lazily stops the run with
 * a DataError naming the file while the checkpoints before it stay usable.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '../../src/core/errors.js';
import { loadFedMultimodal } from '../../src/data/fedmultimodal/load-fedmultimodal.js';
import { lazySamplesOf } from '../../src/data/lazy-samples.js';
import { loadNpyDataset } from '../../src/data/npy/load-npy-dataset.js';
import type { FeatureStore, LoadedDataset } from '../../src/data/types.js';
import { buildRunConfig } from '../../src/engine/build-run-config.js';
import { loadScenarioData } from '../../src/scenario/prepare-dataset.js';
import { runSimulation } from '../../src/engine/run-simulation.js';
import { validateScenario } from '../../src/scenario/load-scenario.js';
import { hashFeatureStore, hashLazySamples } from '../../src/queue/store-hash.js';
import type { Scenario } from '../../src/scenario/schema.js';
import { FakeTrainer } from '../../src/train/fake-trainer.js';
import { InlineTrainer } from '../../src/train/inline-trainer.js';
import { PoolTrainer } from '../../src/train/pool-trainer.js';
import { memorySink } from '../helpers/memory-sink.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const TOY = join(FIXTURES, 'npy', 'toy');
const FMM = { outputDir: join(FIXTURES, 'fedmultimodal', 'output'), dataset: 'toyucf', alpha: 0.1, fold: 1, missingFile: 'simulation_feature/toyucf/fold1/mm05_alpha01.json' };
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function copyOf(src: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'lazy-')), 'data');
  made.push(dir);
  cpSync(src, dir, { recursive: true });
  return dir;
}

/** Every array a task can read, as bytes. */
function bytesOf(store: FeatureStore): Record<string, Buffer> {
  const b = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  return {
    labels: b(store.labels),
    audio: b(store.audio.data),
    audioLengths: b(store.audio.lengths),
    ...(store.video ? { video: b(store.video.data), videoLengths: b(store.video.lengths) } : {}),
  };
}

const allSamples = (d: LoadedDataset) => Array.from({ length: d.store.numSamples }, (_, i) => i);
const sampleBytes = (block: { data: Float32Array; frames: number; dims: number }, s: number) => block.data.subarray(s * block.frames * block.dims, (s + 1) * block.frames * block.dims);

for (const [name, load] of [
  ['NPY', (mode: 'eager' | 'lazy') => loadNpyDataset(TOY, { load: mode })],
  ['FedMultimodal', (mode: 'eager' | 'lazy') => loadFedMultimodal({ ...FMM, load: mode })],
] as const) {
  describe(`${name} fixture, loaded lazily`, () => {
    it('reads dev and test at load, no client sample, with the eager split and lengths', () => {
      const eager = load('eager');
      const lazy = load('lazy');
      const loader = lazySamplesOf(lazy.store)!;
      expect(lazySamplesOf(eager.store)).toBeUndefined();
      expect(lazy.split).toEqual(eager.split);
      expect(loader.loadedCount).toBe(lazy.split.dev.length + lazy.split.test.length);
      for (const s of [...lazy.split.dev, ...lazy.split.test]) expect(sampleBytes(lazy.store.audio, s)).toEqual(sampleBytes(eager.store.audio, s));
      const train = lazy.split.clients.flatMap((c) => c.train);
      expect(train.every((s) => !loader.isLoaded(s) && sampleBytes(lazy.store.audio, s).every((v) => v === 0))).toBe(true);
      expect(train.some((s) => sampleBytes(eager.store.audio, s).some((v) => v !== 0))).toBe(true);
      // Lengths (and so every client's modalities) are known without the features.
      expect(Buffer.compare(bytesOf(lazy.store).audioLengths, bytesOf(eager.store).audioLengths)).toBe(0);
      expect(Buffer.compare(bytesOf(lazy.store).videoLengths, bytesOf(eager.store).videoLengths)).toBe(0);
    });

    it("a client's samples are read on demand; once all are, the store is the eager store bit for bit", () => {
      const eager = load('eager');
      const lazy = load('lazy');
      const loader = lazySamplesOf(lazy.store)!;
      const client = lazy.split.clients[2];
      loader.ensure(client.train);
      for (const s of client.train) expect(sampleBytes(lazy.store.video!, s)).toEqual(sampleBytes(eager.store.video!, s));
      expect(lazy.split.clients.filter((c) => c !== client).flatMap((c) => c.train).every((s) => !loader.isLoaded(s))).toBe(true);
      loader.ensure(allSamples(lazy));
      expect(loader.loadedCount).toBe(lazy.store.numSamples);
      const [a, b] = [bytesOf(lazy.store), bytesOf(eager.store)];
      for (const key of Object.keys(b)) expect(Buffer.compare(a[key], b[key]), key).toBe(0);
    });
  });
}

/** A small run on a fixture, loaded `load`. */
function fixtureScenario(data: Scenario['data'], rounds = 3): Scenario {
  return validateScenario(
    {
      name: 'lazy',
      summary: 'lazy loading',
      data,
      videoMissingRate: null,
      model: { convChannels: [4], kernelSize: 3, audioGruUnits: 4, videoGruUnits: 4, headHidden: 4 },
      algorithm: { name: 'unifl', rounds },
      training: { batchSize: 4 },
      rounds: { clientsPerRound: 2 },
      evalBatchSize: 16,
    },
    'lazy test',
  );
}

describe('a run on lazily loaded data', () => {
  for (const [name, data] of [
    ['NPY', { kind: 'npy', dir: TOY }],
    ['FedMultimodal', { kind: 'fedmultimodal', ...FMM }],
  ] as const) {
    it(`${name}: real training gives the eager run's traceHash and weightsHash, from the start and resumed from a checkpoint`, async () => {
      const eagerScenario = fixtureScenario({ ...data, load: 'eager' } as Scenario['data']);
      const lazyScenario = fixtureScenario({ ...data, load: 'lazy' } as Scenario['data']);
      const eagerData = loadScenarioData(eagerScenario, 'eager');
      const trainer = await InlineTrainer.create({ store: eagerData.store, config: buildRunConfig(eagerScenario, eagerData, 'eager').model, backend: 'wasm' });
      const eager = await runSimulation(buildRunConfig(eagerScenario, eagerData, 'eager'), trainer);
      await trainer.close();

      const lazyData = loadScenarioData(lazyScenario, 'lazy');
      const lazyTrainer = await InlineTrainer.create({ store: lazyData.store, config: buildRunConfig(lazyScenario, lazyData, 'lazy').model, backend: 'wasm' });
      const sink = memorySink();
      const lazy = await runSimulation(buildRunConfig(lazyScenario, lazyData, 'lazy'), lazyTrainer, { checkpoint: sink });
      await lazyTrainer.close();
      expect(lazy.traceHash).toBe(eager.traceHash);
      expect(lazy.weightsHash).toBe(eager.weightsHash);
      // Only the contacted clients were read.
      const contacted = new Set(lazy.rounds.flatMap((r) => r.selected));
      const loader = lazySamplesOf(lazyData.store)!;
      expect(contacted.size).toBeLessThan(lazyData.split.clients.length);
      for (const c of lazyData.split.clients.filter((x) => x.train.length > 0)) expect(c.train.every((s) => loader.isLoaded(s)), c.id).toBe(contacted.has(c.id));

      // Resume from round 1's checkpoint on a fresh lazy load: same hashes, same bytes for the clients it touched.
      const fresh = loadScenarioData(lazyScenario, 'lazy resumed');
      const resumedTrainer = await InlineTrainer.create({ store: fresh.store, config: buildRunConfig(lazyScenario, fresh, 'resumed').model, backend: 'wasm' });
      const resumed = await runSimulation(buildRunConfig(lazyScenario, fresh, 'resumed'), resumedTrainer, { resume: sink.saved[0] });
      await resumedTrainer.close();
      expect(resumed.traceHash).toBe(eager.traceHash);
      expect(resumed.weightsHash).toBe(eager.weightsHash);
      const freshLoader = lazySamplesOf(fresh.store)!;
      const touched = allSamples(fresh).filter((s) => freshLoader.isLoaded(s));
      expect(touched.length).toBeGreaterThan(fresh.split.dev.length + fresh.split.test.length);
      for (const s of touched) expect(sampleBytes(fresh.store.audio, s)).toEqual(sampleBytes(eagerData.store.audio, s));
    }, 120_000);
  }
});

describe('a pool of worker threads on lazily loaded data', () => {
  it("sees a client's features written after the pool started (shared buffers, written before the task is posted): the eager run's hashes", async () => {
    const scenario = (load: 'eager' | 'lazy') => fixtureScenario({ kind: 'npy', dir: TOY, load });
    const hashes: Array<{ traceHash: string; weightsHash: string }> = [];
    for (const load of ['eager', 'lazy'] as const) {
      const data = loadScenarioData(scenario(load), load);
      const config = buildRunConfig(scenario(load), data, load);
      const pool = await PoolTrainer.create({ store: data.store, config: config.model, workers: 2, backend: 'wasm' });
      try {
        const { traceHash, weightsHash } = await runSimulation(config, pool);
        hashes.push({ traceHash, weightsHash });
      } finally {
        await pool.close();
      }
    }
    expect(hashes[1]).toEqual(hashes[0]);
  }, 120_000);
});

describe("the queue's data identity of a lazily loaded store", () => {
  it('the store hash covers what is read at load, unchanged by later reads; the samples hash compares what a task reads', () => {
    const a = loadNpyDataset(TOY, { load: 'lazy' });
    const b = loadNpyDataset(TOY, { load: 'lazy' });
    const storeHash = hashFeatureStore(a.store);
    expect(storeHash).not.toBe(hashFeatureStore(loadNpyDataset(TOY).store));
    const client = a.split.clients[0].train;
    lazySamplesOf(a.store)!.ensure(client);
    expect(hashFeatureStore(a.store)).toBe(storeHash);
    expect(hashFeatureStore(b.store)).toBe(storeHash);
    lazySamplesOf(b.store)!.ensure(client);
    expect(hashLazySamples(a.store, client)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashLazySamples(b.store, client)).toBe(hashLazySamples(a.store, client));
    expect(hashLazySamples(a.store, a.split.test)).toBeNull(); // read at load: in the store hash
    expect(hashLazySamples(loadNpyDataset(TOY).store, client)).toBeNull(); // eager: all in the store hash

    // One value off in that client's first sample: the store hash agrees, the samples hash does not.
    const dir = copyOf(TOY);
    const file = join(dir, 'audio.npy');
    const bytes = readFileSync(file);
    bytes[10 + bytes.readUInt16LE(8) + client[0] * 30 * 8 * 4 + 2] ^= 0x01;
    writeFileSync(file, bytes);
    const c = loadNpyDataset(dir, { load: 'lazy' });
    expect(hashFeatureStore(c.store)).toBe(storeHash);
    lazySamplesOf(c.store)!.ensure(client);
    expect(hashLazySamples(c.store, client)).not.toBe(hashLazySamples(a.store, client));
  });
});

describe('bad data met lazily', () => {
  const fake = (d: LoadedDataset) => new FakeTrainer({ labels: d.store.labels, numClasses: d.store.numClasses });

  it('NPY: a non-finite value in a client first contacted after round 1 stops the run with a DataError naming the file and sample; the round-1 checkpoint resumes on fixed data', async () => {
    const clean = fixtureScenario({ kind: 'npy', dir: TOY, load: 'lazy' });
    const cleanData = loadScenarioData(clean, 'clean');
    const whole = await runSimulation(buildRunConfig(clean, cleanData, 'clean'), fake(cleanData));
    const first = new Set(whole.rounds[0].selected);
    const later = whole.rounds.slice(1).flatMap((r) => r.selected).find((id) => !first.has(id))!;
    expect(later).toBeDefined();
    const sample = cleanData.split.clients.find((c) => c.id === later)!.train[0];

    const dir = copyOf(TOY);
    const file = join(dir, 'audio.npy');
    const bytes = readFileSync(file);
    bytes.writeFloatLE(Number.NaN, 10 + bytes.readUInt16LE(8) + sample * 30 * 8 * 4); // frame 0, dim 0 of that sample
    writeFileSync(file, bytes);
    expect(() => loadNpyDataset(dir)).toThrow(DataError); // eager: refused at load

    const bad = fixtureScenario({ kind: 'npy', dir, load: 'lazy' });
    const badData = loadScenarioData(bad, 'bad'); // lazy: headers and sizes are fine, so the load succeeds
    const sink = memorySink();
    const error = await runSimulation(buildRunConfig(bad, badData, 'bad'), fake(badData), { checkpoint: sink }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).file).toBe(file);
    expect((error as DataError).itemKey).toBe(cleanData.store.keys![sample]);
    expect((error as DataError).message).toMatch(/NaN at frame 0, dim 0 \(features must be finite\)/);
    expect(sink.saved.length).toBeGreaterThanOrEqual(1);

    // The file fixed (the original data): the last checkpoint continues to the clean run's result.
    const fixedData = loadScenarioData(clean, 'fixed');
    const resumed = await runSimulation(buildRunConfig(clean, fixedData, 'fixed'), fake(fixedData), { resume: sink.saved[sink.saved.length - 1] });
    expect(resumed.traceHash).toBe(whole.traceHash);
    expect(resumed.weightsHash).toBe(whole.weightsHash);
  });

  it('NPY: a feature file changed after the load is refused on the next lazy read', () => {
    const dir = copyOf(TOY);
    const d = loadNpyDataset(dir, { load: 'lazy' });
    utimesSync(join(dir, 'audio.npy'), new Date(2000, 0, 1), new Date(2000, 0, 1));
    expect(() => lazySamplesOf(d.store)!.ensure(d.split.clients[0].train)).toThrow(/audio\.npy: file: changed since the data was loaded/);
  });

  it("FedMultimodal: a client's pickle gone after the load is a DataError naming it on that client's first contact", () => {
    const outputDir = copyOf(FMM.outputDir);
    const d = loadFedMultimodal({ ...FMM, outputDir, load: 'lazy' });
    const pickle = join(outputDir, 'feature', 'video', 'mobilenet_v2', 'toyucf', 'alpha01', 'fold1', '3.pkl');
    unlinkSync(pickle);
    const loader = lazySamplesOf(d.store)!;
    loader.ensure(d.split.clients[0].train); // client "0": its files are there
    const three = d.split.clients.find((c) => c.id === '3')!;
    expect(() => loader.ensure(three.train)).toThrow(DataError);
    expect(() => loader.ensure(three.train)).toThrow(`${pickle}: file: missing (no such file)`);
    expect(three.train.some((s) => loader.isLoaded(s))).toBe(false);
  });
});
