import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { loadScenarioData } from '../../src/scenario/prepare-dataset.js';
import { jobIdFor } from '../../src/queue/job-id.js';
import { parseQueueUrl } from '../../src/queue/queue-url.js';
import { hashFeatureStore } from '../../src/queue/store-hash.js';
import { localDataSpec, portableDataSpec } from '../../src/queue/task-data.js';
import { acceptResult, decodeTask, encodeResult, encodeTask } from '../../src/queue/task-envelope.js';
import { packageVersions, versionDifferences } from '../../src/queue/versions.js';
import type { WorkerRequest } from '../../src/train/worker-protocol.js';
import { tinyScenario } from '../helpers/tiny-scenario.js';

const hyper = { epochs: 1, batchSize: 8, lr: 0.05, momentum: 0.9, weightDecay: 0, clipNorm: 0 };
const train = (seed: string, w = 1): WorkerRequest => ({ op: 'train', task: { kind: 'supervised', model: 'audio', weights: { 'audio.conv1/kernel': new Float32Array([w, 2]), 'video.gru/kernel': new Float32Array([9]) }, sampleIndices: [1, 2], hyper, seed } });

describe('queue addresses', () => {
  it('reads host, port, database and queue name, with defaults', () => {
    expect(parseQueueUrl('redis://10.0.0.5:6380/2?name=lab')).toMatchObject({ host: '10.0.0.5', port: 6380, db: 2, name: 'lab', tls: false });
    expect(parseQueueUrl('redis://box')).toMatchObject({ host: 'box', port: 6379, db: 0, name: 'modality-mirror' });
    expect(parseQueueUrl('rediss://u:secret@box:1').display).toBe('rediss://u:***@box:1');
  });

  it('refuses a bad address naming the flag and the value', () => {
    for (const [text, why] of [['localhost:6379', 'scheme localhost: is not redis:'], ['redis://h:1/x', 'database "x" is not a number'], ['redis://h:1?queue=a', 'unknown parameter "queue"'], ['redis://h:1?name=a:b', 'queue name "a:b"'], ['nope', 'not a URL']]) {
      expect(() => parseQueueUrl(text)).toThrow(ConfigError);
      expect(() => parseQueueUrl(text)).toThrow(`command line: --queue = ${JSON.stringify(text)} is invalid: redis://HOST:PORT[/DB][?name=QUEUE] (${why}`);
    }
  });
});

describe('job ids', () => {
  const payload = encodeTask(train('1/train/3/5/0'), { config: {} as never, data: { kind: 'synthetic' }, storeHash: 'h', backend: 'wasm', versions: {} });
  it('are the same for the same task and attempt, and name the seed path and attempt', () => {
    const id = jobIdFor('tag', train('1/train/3/5/0'), payload, 1);
    expect(id).toBe(jobIdFor('tag', train('1/train/3/5/0'), payload, 1));
    expect(id).toMatch(/^tag\.train\.1-train-3-5-0\.[0-9a-f]{16}\.a1$/);
    expect(jobIdFor('tag', train('1/train/3/5/0'), payload, 2)).toMatch(/\.a2$/);
    expect(id).not.toContain(':');
  });
  it('differ when the payload differs', () => {
    const other = encodeTask(train('1/train/3/5/0', 7), { config: {} as never, data: { kind: 'synthetic' }, storeHash: 'h', backend: 'wasm', versions: {} });
    expect(jobIdFor('tag', train('1/train/3/5/0'), payload, 1)).not.toBe(jobIdFor('tag', train('1/train/3/5/0', 7), other, 1));
  });
});

describe('payloads and results', () => {
  it('carry only the modules the task\'s model reads, bit for bit', () => {
    const payload = decodeTask(encodeTask(train('s'), { config: {} as never, data: { kind: 'synthetic' }, storeHash: 'h', backend: 'wasm', versions: { a: '1' } }));
    const task = (payload.request as Extract<WorkerRequest, { op: 'train' }>).task as { weights: Record<string, Float32Array> };
    expect(Object.keys(task.weights)).toEqual(['audio.conv1/kernel']);
    expect(task.weights['audio.conv1/kernel']).toEqual(new Float32Array([1, 2]));
  });

  it('accept a result of the run\'s backend and versions and refuse any other', () => {
    const versions = packageVersions('wasm');
    const response = { predictions: new Int32Array([1, 0]), labels: new Int32Array([1, 1]), meanLoss: 0.5 };
    const ok = encodeResult({ worker: 'a:1', backend: 'wasm', versions, response });
    expect(acceptResult(ok, { backend: 'wasm', versions }, 'j')).toEqual(response);
    const cpu = encodeResult({ worker: 'b:2', backend: 'cpu', versions, response });
    expect(() => acceptResult(cpu, { backend: 'wasm', versions }, 'j')).toThrow('refused result of task j from worker b:2: computed on backend cpu, the run\'s backend is wasm');
    const older = encodeResult({ worker: 'c:3', backend: 'wasm', versions: { ...versions, '@tensorflow/tfjs-core': '4.21.0' }, response });
    expect(() => acceptResult(older, { backend: 'wasm', versions }, 'j')).toThrow(/package versions differ from the run's \(@tensorflow\/tfjs-core 4\.21\.0 ≠ \d/);
  });

  it('name the versions that decide the bits', () => {
    expect(Object.keys(packageVersions('wasm')).sort()).toEqual(['@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-core', 'modality-mirror']);
    expect(versionDifferences({ a: '1', b: '2' }, { a: '1', b: '3' })).toEqual(['b 3 ≠ 2']);
  });
});

describe('the data a worker loads', () => {
  it('hashes a store by content: a regenerated store hashes alike, one changed value does not', () => {
    const scenario = tinyScenario();
    const a = loadScenarioData(scenario, 'a').store;
    const b = loadScenarioData(scenario, 'b').store;
    expect(hashFeatureStore(b)).toBe(hashFeatureStore(a));
    b.audio.data[5] += 1e-6;
    expect(hashFeatureStore(b)).not.toBe(hashFeatureStore(a));
  });

  it('uses the worker\'s own folder for data of its kind, and refuses another kind', () => {
    const npy = { kind: 'npy' as const, dir: 'rel/dir' };
    expect(portableDataSpec(npy)).toEqual({ kind: 'npy', dir: `${process.cwd()}/rel/dir` });
    expect(localDataSpec(npy, 'npy:/mnt/data')).toEqual({ kind: 'npy', dir: '/mnt/data' });
    expect(localDataSpec({ kind: 'synthetic' }, 'npy:/mnt/data')).toEqual({ kind: 'synthetic' });
    expect(() => localDataSpec(npy, 'fedmultimodal:/mnt/fm')).toThrow("this worker's --data is fedmultimodal data (fedmultimodal:/mnt/fm), the task reads npy data");
  });
});
