/**
 * The pickle reader on pickles written by real numpy (test/fixtures/fedmultimodal/odd, from
 * scripts/make-fedmultimodal-fixture.py --odd-out) and on hand-built opcode streams.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/core/errors.js';
import { readFeatureItems } from '../../src/data/fedmultimodal/feature-items.js';
import { NumpyArray } from '../../src/data/fedmultimodal/numpy-array.js';
import { parsePickle, readPickleFile } from '../../src/data/fedmultimodal/read-pickle.js';
import { dotlessTag, fedMultimodalPaths } from '../../src/data/fedmultimodal/fedmultimodal-paths.js';
import { decodeFloatsInto } from '../../src/data/npy/decode-float.js';
import { f32Array, pickleFeatureList } from './fedmultimodal-pickle-writer.js';

const ODD = join(import.meta.dirname, '..', 'fixtures', 'fedmultimodal', 'odd');
const odd = (name: string) => join(ODD, name);

function floats(array: NumpyArray): number[] {
  const out = new Float32Array(array.size);
  decodeFloatsInto(array.bytes, array.dtype.kind as 'f4' | 'f8', array.dtype.littleEndian, array.size, out, 0);
  return Array.from(out);
}

function items(name: string) {
  return readFeatureItems(readPickleFile(odd(name)), odd(name), 'audio');
}

describe('numpy pickles', () => {
  it('big-endian float32 is decoded by value', () => {
    const [item] = items('big-endian.pkl');
    expect(item.array!.dtype.littleEndian).toBe(false);
    expect([item.frames, item.dims, item.label]).toEqual([2, 3, 1]);
    expect(floats(item.array!)).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25]);
  });

  it('a numpy int64 scalar label and a (1, frames, dims) array are read as FedMultimodal does', () => {
    const [item] = items('scalar-label-3d.pkl');
    expect(item.label).toBe(3);
    expect([item.frames, item.dims]).toEqual([2, 3]);
  });

  it('protocol 3 (_reconstruct + BUILD) float64 arrays', () => {
    const [item] = items('float64-protocol3.pkl');
    expect(item.array!.dtype.kind).toBe('f8');
    expect(floats(item.array!)).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25]);
  });

  it('refuses integer arrays, Fortran order, protocol 0 and non-list pickles, naming file and field', () => {
    expect(() => items('int64-array.pkl')).toThrow(/int64-array\.pkl \[item Odd\/v_odd\]: audio features: dtype i8 is not supported/);
    expect(() => items('fortran-order.pkl')).toThrow(/Fortran-ordered array of shape \[3,4\]/);
    expect(() => readPickleFile(odd('protocol0.pkl'))).toThrow(/protocol0\.pkl: pickle: not a pickle of protocol >= 2/);
    expect(() => items('dict.pkl')).toThrow(/dict\.pkl: top level: expected a list/);
  });

  it('refuses unknown Python globals instead of building stand-ins', () => {
    // PROTO 5, SHORT_BINUNICODE 'os', SHORT_BINUNICODE 'system', STACK_GLOBAL, STOP
    const bytes = Buffer.from([0x80, 5, 0x8c, 2, ...Buffer.from('os'), 0x8c, 6, ...Buffer.from('system'), 0x93, 0x2e]);
    expect(() => parsePickle(bytes, 'evil.pkl')).toThrow(/evil\.pkl: pickle: .*unsupported Python global os\.system/);
  });

  it('a truncated pickle is a DataError naming the file', () => {
    const whole = pickleFeatureList([{ key: 'a/b', path: 'p', label: 0, array: f32Array([1, 2, 3, 4], [2, 2]) }]);
    expect(parsePickle(whole, 'ok.pkl')).toHaveLength(1);
    const err = (() => {
      try {
        parsePickle(whole.subarray(0, whole.length - 20), 'cut.pkl');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).file).toBe('cut.pkl');
    expect((err as DataError).field).toBe('pickle');
  });
});

describe('paths', () => {
  it('tags drop the dot of Python str(float)', () => {
    expect([dotlessTag(0.1), dotlessTag(5), dotlessTag(5.0), dotlessTag(0.25), dotlessTag('0.5'), dotlessTag(0.00001)]).toEqual(['01', '50', '50', '025', '05', '1e-05']);
  });

  it('dev and test pickles sit beside the client pickles', () => {
    const p = fedMultimodalPaths('/o', 'ucf101', 0.1, 2);
    expect(p.partition).toBe('/o/partition/ucf101/fold2/partition_alpha01.json');
    expect(p.audioPickle('dev')).toBe('/o/feature/audio/mfcc/ucf101/alpha01/fold2/dev.pkl');
    expect(p.videoPickle('17')).toBe('/o/feature/video/mobilenet_v2/ucf101/alpha01/fold2/17.pkl');
    expect(p.simulation(0.9)).toBe('/o/simulation_feature/ucf101/fold2/mm09_alpha01.json');
  });
});
