/**
 * Bad FedMultimodal data is refused with a DataError naming file, item key and field. Each case
 * copies the fixture to a temp dir and corrupts exactly one thing.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../src/core/errors.js';
import { fedMultimodalPaths } from '../../src/data/fedmultimodal/fedmultimodal-paths.js';
import { loadFedMultimodal, type FedMultimodalOptions } from '../../src/data/fedmultimodal/load-fedmultimodal.js';
import { NumpyArray } from '../../src/data/fedmultimodal/numpy-array.js';
import { parsePickle } from '../../src/data/fedmultimodal/read-pickle.js';
import { f32Array, rewritePickle } from './fedmultimodal-pickle-writer.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'fedmultimodal', 'output');
const expected = JSON.parse(readFileSync(join(FIXTURE, '..', 'expected.json'), 'utf8')) as { groups: Record<string, string[]> };
const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

type Paths = ReturnType<typeof fedMultimodalPaths>;

/** A corrupted copy of the fixture and the options that load it. */
function corrupt(mutate: (p: Paths, dir: string) => void): FedMultimodalOptions {
  const dir = mkdtempSync(join(tmpdir(), 'fmm-bad-'));
  made.push(dir);
  cpSync(FIXTURE, dir, { recursive: true });
  const opts = { outputDir: dir, dataset: 'toyucf', alpha: 0.1, fold: 1 };
  mutate(fedMultimodalPaths(dir, 'toyucf', 0.1, 1), dir);
  return opts;
}

function dataError(opts: FedMultimodalOptions): DataError {
  try {
    loadFedMultimodal(opts);
  } catch (err) {
    expect(err).toBeInstanceOf(DataError);
    return err as DataError;
  }
  throw new Error('expected a DataError, the load succeeded');
}

function editJson(file: string, edit: (json: any) => void): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  const json = JSON.parse(readFileSync(file, 'utf8'));
  edit(json);
  writeFileSync(file, JSON.stringify(json));
}

/** Writes `value` (as float32) over the first feature value of item `position` in a pickle. */
function poison(file: string, position: number, value: number): void {
  const bytes = readFileSync(file);
  const list = parsePickle(bytes, file) as unknown[][];
  const array = list[position][3] as NumpyArray;
  // The array's bytes are a view into `bytes`: patch the file image in place.
  expect(array.dtype.kind).toBe('f4');
  bytes.writeFloatLE(value, array.bytes.byteOffset - bytes.byteOffset);
  writeFileSync(file, bytes);
}

describe('FedMultimodal loader refuses bad data', () => {
  it('a truncated pickle', () => {
    const opts = corrupt((p) => truncateSync(p.audioPickle('3'), 500));
    const err = dataError(opts);
    expect(err.file).toMatch(/audio\/mfcc\/toyucf\/alpha01\/fold1\/3\.pkl$/);
    expect(err.field).toBe('pickle');
  });

  it('a file that is not a pickle', () => {
    const opts = corrupt((p) => writeFileSync(p.videoPickle('dev'), '{"not": "a pickle"}'));
    const err = dataError(opts);
    expect(err.file).toMatch(/mobilenet_v2\/toyucf\/alpha01\/fold1\/dev\.pkl$/);
    expect(err.message).toMatch(/not a pickle/);
  });

  it('NaN and Inf in features name the item and the frame', () => {
    const key = expected.groups['6'][2];
    const nan = dataError(corrupt((p) => poison(p.audioPickle('6'), 2, NaN)));
    expect([nan.itemKey, nan.field]).toEqual([key, 'audio features']);
    expect(nan.message).toMatch(/NaN at frame 0, dim 0/);
    const testKey = expected.groups.test[0];
    const inf = dataError(corrupt((p) => rewritePickle(p.videoPickle('test'), (items) => {
      items[0].array = f32Array([1, 2, Infinity, ...new Array(21).fill(0)], [2, 12]);
    })));
    expect([inf.itemKey, inf.field]).toEqual([testKey, 'video features']);
    expect(inf.message).toMatch(/Infinity at frame 0, dim 2/);
  });

  it('feature dims that differ between clients', () => {
    const key = expected.groups['2'][0];
    const err = dataError(corrupt((p) => rewritePickle(p.audioPickle('2'), (items) => {
      const a = items[0].array!;
      items[0].array = { ...a, shape: [a.shape[0] * 2, a.shape[1] / 2] };
    })));
    expect([err.itemKey, err.field]).toEqual([key, 'audio feature dims']);
    expect(err.message).toMatch(/4 differs from 8/);
  });

  it('audio and video lists out of order', () => {
    const err = dataError(corrupt((p) => rewritePickle(p.videoPickle('6'), (items) => items.reverse())));
    expect(err.file).toMatch(/video.*\/6\.pkl$/);
    expect(err.field).toBe('key');
    expect(err.message).toMatch(/audio and video lists out of order: position 0/);
  });

  it('a label out of range (numClasses) and a simulation label out of range', () => {
    const withLabel4 = expected.groups['0'].findIndex((k) => k.startsWith('Typing/'));
    expect(withLabel4).toBeGreaterThanOrEqual(0);
    const err = dataError({ ...corrupt(() => {}), numClasses: 4 });
    expect([err.field, err.message.includes('4 is outside [0, 4)')]).toEqual(['label', true]);
    const sim = dataError({
      ...corrupt((_, dir) => editJson(join(dir, 'simulation_feature/toyucf/fold1/mm05_alpha01.json'), (j) => {
        j['8'][1][3][2] = 9;
      })),
      missingRate: 0.5,
    });
    expect([sim.itemKey, sim.field]).toEqual([expected.groups['8'][1], 'simulation.label']);
  });

  it('an empty client and a missing dev group in the partition', () => {
    const empty = dataError(corrupt((p) => editJson(p.partition, (j) => { j['4'] = []; })));
    expect([empty.field, empty.problem]).toEqual(['group 4', 'empty (no items)']);
    const noDev = dataError(corrupt((p) => editJson(p.partition, (j) => { delete j.dev; })));
    expect(noDev.field).toBe('group dev');
  });

  it('a missing pickle, a missing partition, a missing simulation file', () => {
    const pkl = dataError(corrupt((p) => unlinkSync(p.videoPickle('8'))));
    expect([pkl.file.endsWith('/8.pkl'), pkl.field, pkl.problem]).toEqual([true, 'file', 'missing (no such file)']);
    const part = dataError({ ...corrupt(() => {}), alpha: 5 });
    expect(part.file).toMatch(/partition_alpha50\.json$/);
    const sim = dataError({ ...corrupt(() => {}), missingRate: 0.9 });
    expect(sim.file).toMatch(/mm09_alpha01\.json$/);
  });

  it('pickles that disagree with the partition (count, key, label)', () => {
    const count = dataError(corrupt((p) => rewritePickle(p.audioPickle('1'), (items) => items.pop())));
    expect(count.message).toMatch(/holds 3 items, .* lists 4/);
    const label = dataError(corrupt((p) => editJson(p.partition, (j) => { j['10'][0][2] = (j['10'][0][2] + 1) % 5; })));
    expect([label.itemKey, label.field]).toEqual([expected.groups['10'][0], 'label']);
    const key = dataError(corrupt((p) => editJson(p.partition, (j) => { j.test[3][0] = 'Typing/v_other'; })));
    expect([key.itemKey, key.field]).toEqual([expected.groups.test[3], 'key']);
  });

  it('unsupported dtypes and Fortran order inside a fixture file', () => {
    const key = expected.groups['5'][1];
    const ints = dataError(corrupt((p) => rewritePickle(p.audioPickle('5'), (items) => {
      items[1].array = { ...items[1].array!, dtype: '<i4' };
    })));
    expect([ints.itemKey, ints.field]).toEqual([key, 'audio features']);
    expect(ints.problem).toMatch(/dtype i4 is not supported/);
    const fortran = dataError(corrupt((p) => rewritePickle(p.audioPickle('5'), (items) => {
      items[1].array = { ...items[1].array!, order: 'F' };
    })));
    expect(fortran.problem).toMatch(/Fortran-ordered/);
  });

  it('bad options are ConfigErrors before any file is read', () => {
    const ok = { outputDir: FIXTURE, dataset: 'toyucf', alpha: 0.1, fold: 1 };
    expect(() => loadFedMultimodal({ ...ok, fold: 0 })).toThrow(ConfigError);
    expect(() => loadFedMultimodal({ ...ok, alpha: -1 })).toThrow(/alpha = -1/);
    expect(() => loadFedMultimodal({ ...ok, dataset: '../x' })).toThrow(ConfigError);
    expect(() => loadFedMultimodal({ ...ok, missingRate: 0.5, missingFile: 'x.json' })).toThrow(/either missingFile or missingRate/);
  });
});
