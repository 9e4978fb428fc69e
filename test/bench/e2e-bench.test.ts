/**
 * bench:e2e's moving parts, on a tiny export: the NPY folder the bench writes reads back the same in
 * the engine and in numpy, the PyTorch loop runs over it, and `run --profile` changes no hash.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportNpyDataset } from '../../bench/e2e-data.js';
import { compareCommand } from '../../src/cli/compare-command.js';
import { runCommand } from '../../src/cli/run-command.js';
import type { RunProfile } from '../../src/cli/run-profiler.js';
import { loadNpyDataset } from '../../src/data/npy/load-npy-dataset.js';
import { buildSyntheticDataset } from '../../src/data/synthetic.js';
import { tempDir } from '../helpers/run-folder.js';
import { pythonWithTorch } from '../helpers/torch-python.js';

// Clips of 10–24 frames: FedMultimodal's audio-visual model (the PyTorch side) needs len // 8 >= 1.
const TINY = { seed: 3, numClasses: 3, samplesPerClass: 16, audioFrames: 24, audioDims: 4, videoFrames: 3, videoDims: 2, lengthJitter: 0.6, numClients: 4, alpha: 5, minSamplesPerClient: 3, videoMissingRate: 0.5 };
const MODEL_SETS = ['model.convChannels.0=2', 'model.convChannels.1=2', 'model.kernelSize=3', 'model.audioGruUnits=3', 'model.videoGruUnits=3', 'model.headHidden=3', 'epochs=1', 'batchSize=4', 'evalBatchSize=8', 'clientsPerRound=0.5', 'videoMissingRate=0', 'serverOptimizer=fedavg'];

describe('bench:e2e data export', () => {
  const source = buildSyntheticDataset(TINY);
  const dir = tempDir('e2e-npy');
  exportNpyDataset(source, dir, 'tiny');

  it('reads back in the engine with the same features, labels, split, clients and video flags', () => {
    const loaded = loadNpyDataset(dir);
    expect(Array.from(loaded.store.audio.data)).toEqual(Array.from(source.store.audio.data));
    expect(Array.from(loaded.store.audio.lengths)).toEqual(Array.from(source.store.audio.lengths));
    expect(Array.from(loaded.store.labels)).toEqual(Array.from(source.store.labels));
    expect([...loaded.split.dev].sort((a, b) => a - b)).toEqual([...source.split.dev].sort((a, b) => a - b));
    expect([...loaded.split.test].sort((a, b) => a - b)).toEqual([...source.split.test].sort((a, b) => a - b));
    // Client ids are the source clients' positions; the loader sorts them as strings.
    const byId = new Map(loaded.split.clients.map((c) => [c.id, c]));
    source.split.clients.forEach((client, position) => {
      const back = byId.get(String(position))!;
      expect([...back.train].sort((a, b) => a - b)).toEqual([...client.train].sort((a, b) => a - b));
      expect(back.hasVideo).toBe(client.hasVideo);
    });
    expect(source.split.clients.some((c) => c.hasVideo) && source.split.clients.some((c) => !c.hasVideo)).toBe(true);
    // A client without video has no video on any clip; dev and test keep theirs.
    const video = loaded.store.video!;
    for (const client of source.split.clients.filter((c) => !c.hasVideo)) for (const i of client.train) expect(video.lengths[i]).toBe(0);
    for (const i of [...source.split.dev, ...source.split.test]) expect(video.lengths[i]).toBe(source.store.video!.lengths[i]);
  });

  it('reads back in numpy with the same shapes and values', (context) => {
    const probe = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { encoding: 'utf8' });
    if (probe.status !== 0) context.skip('numpy not found for /usr/bin/python3');
    const script = `import numpy as np, json, sys
d = sys.argv[1]
a = np.load(d + '/audio.npy'); v = np.load(d + '/video.npy')
print(json.dumps({"audio": list(a.shape), "video": list(v.shape), "audioSum": float(a.astype(np.float64).sum()),
  "lengths": np.load(d + '/audio_lengths.npy').tolist(), "videoLengths": np.load(d + '/video_lengths.npy').tolist(),
  "labels": np.load(d + '/labels.npy').tolist(), "split": np.load(d + '/split.npy').tolist(), "clients": np.load(d + '/clients.npy').tolist()}))`;
    const run = spawnSync('/usr/bin/python3', ['-c', script, dir], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const np = JSON.parse(run.stdout);
    const loaded = loadNpyDataset(dir);
    const n = source.store.numSamples;
    expect(np.audio).toEqual([n, TINY.audioFrames, TINY.audioDims]);
    expect(np.video).toEqual([n, TINY.videoFrames, TINY.videoDims]);
    let sum = 0;
    for (const x of source.store.audio.data) sum += x;
    expect(np.audioSum).toBeCloseTo(sum, 6);
    expect(np.lengths).toEqual(Array.from(loaded.store.audio.lengths));
    expect(np.videoLengths).toEqual(Array.from(loaded.store.video!.lengths));
    expect(np.labels).toEqual(Array.from(loaded.store.labels));
    expect(np.split.filter((s: number) => s === 1).length).toBe(source.split.dev.length);
    expect(np.clients.filter((c: number) => c >= 0).length).toBe(source.split.clients.reduce((s, c) => s + c.train.length, 0));
  });

  it('the PyTorch loop runs a ModalityMirror round per phase over it, seeing the same clients', (context) => {
    const python = pythonWithTorch();
    if (python === null) context.skip('PyTorch not found (apt-get install -y python3-torch)');
    const run = spawnSync(python!, ['bench/torch_e2e.py', dir, '--method', 'modality-mirror', '--rounds', '1', '--epochs', '1', '--gru', '3', '--filters', '2', '--batch', '4', '--clients-per-round', '0.5'], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.phase ?? 'final')).toEqual(['modality-wise', 'distillation', 'final']);
    const final = lines[2].final;
    expect(final.clients).toBe(TINY.numClients);
    expect(final.clientsWithVideo).toBe(source.split.clients.filter((c) => c.hasVideo).length);
    expect(lines[0].clients).toHaveLength(2);
    expect(Object.keys(lines[0].scores).sort()).toEqual(['audio', 'teacher-av']);
    expect(final.split.training.wallS).toBeGreaterThan(0);
  });

  it('run --profile writes profile.json and changes no hash (real trainer, main thread)', async () => {
    const flags = { workers: 0, rounds: 1, method: 'modality-mirror', data: `npy:${dir}`, set: MODEL_SETS };
    const plain = join(tempDir('e2e-plain'), 'run');
    const profiled = join(tempDir('e2e-profiled'), 'run');
    const a = (await runCommand('scenarios/default.ts', { ...flags, out: plain })) as { traceHash: string; weightsHash: string };
    const b = (await runCommand('scenarios/default.ts', { ...flags, out: profiled, profile: true })) as { traceHash: string; weightsHash: string };
    expect(b.traceHash).toBe(a.traceHash);
    expect(b.weightsHash).toBe(a.weightsHash);
    expect(existsSync(join(plain, 'profile.json'))).toBe(false);
    const profile = JSON.parse(readFileSync(join(profiled, 'profile.json'), 'utf8')) as RunProfile;
    // Phase 1 trains audio (every client), video and fusion (clients with video); phase 2 distils.
    const labels = profile.workersBusy.byLabel;
    expect(Object.keys(labels)).toEqual(expect.arrayContaining(['init', 'train:audio', 'distill', 'evaluate:audio', 'evaluate:av']));
    expect(labels['train:video']?.count ?? 0).toBe(labels['train:av[fusion]']?.count ?? 0);
    const trainTasks = Object.entries(profile.workersBusy.byLabel).filter(([l]) => l.startsWith('train:') || l === 'distill').reduce((s, [, t]) => s + t.count, 0);
    expect(trainTasks).toBe(profile.tasks.train);
    expect(profile.workersBusy.byLabel['evaluate:audio'].count + (profile.workersBusy.byLabel['evaluate:av']?.count ?? 0)).toBe(profile.tasks.evaluate);
    expect(profile.workersBusy.trainMs).toBeGreaterThan(0);
    expect(profile.mainThread.aggregations).toBe(2);
    expect(profile.wallMs).toBeGreaterThan(0);
    expect(profile.scope).toBe('run');
    // The timeline: one entry per task, inside the run, ends after starts, summing to the busy time.
    expect(profile.timelineTruncated).toBe(false);
    expect(profile.timeline).toHaveLength(Object.values(labels).reduce((s, t) => s + t.count, 0));
    for (const t of profile.timeline) {
      expect(t.endMs).toBeGreaterThanOrEqual(t.startMs);
      expect(t.thread).toBe(0); // workers 0: the main thread trains
    }
    const busy = profile.workersBusy.trainMs + profile.workersBusy.evaluateMs + profile.workersBusy.initMs;
    expect(profile.timeline.reduce((s, t) => s + (t.endMs - t.startMs), 0)).toBeCloseTo(busy, -1);
  });

  it('compare --profile profiles the whole grid on the pool and changes no result (2 cells at once on 2 workers)', async () => {
    const flags = { workers: 2, rounds: 1, data: `npy:${dir}`, set: MODEL_SETS, methods: 'unifl,multifl', missing: [0], seeds: [1], concurrency: 2 };
    const plainOut = tempDir('e2e-grid-plain');
    const profiledOut = tempDir('e2e-grid-profiled');
    const plain = await compareCommand('scenarios/default.ts', { ...flags, out: plainOut }, 'test');
    const profiled = await compareCommand('scenarios/default.ts', { ...flags, out: profiledOut, profile: true }, 'test');
    const hashes = (c: object) => (c as { runs: Array<{ method: string; traceHash: string; weightsHash: string }> }).runs.map((r) => [r.method, r.traceHash, r.weightsHash]);
    expect(hashes(profiled)).toEqual(hashes(plain));
    expect(existsSync(join(plainOut, 'profile.json'))).toBe(false);
    const profile = JSON.parse(readFileSync(join(profiledOut, 'profile.json'), 'utf8')) as RunProfile;
    expect(profile.scope).toBe('grid');
    expect(profile.workers).toBe(2);
    // Both cells' training went through the one pool: 2 clients per round in each of the 2 cells.
    expect(profile.tasks.train).toBe(4);
    expect(profile.workersBusy.byLabel['train:audio'].count + (profile.workersBusy.byLabel['train:av']?.count ?? 0)).toBe(4);
    const threads = new Set(profile.timeline.map((t) => t.thread));
    expect([...threads].every((t) => t > 0)).toBe(true); // pool workers, not the main thread
    expect(profile.workersBusy.busyFraction).toBeGreaterThan(0);
    expect(profile.workersBusy.busyFraction).toBeLessThanOrEqual(1);
  });
});
