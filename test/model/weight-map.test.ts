import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/model/backend.js';
import { buildModel } from '../../src/model/build-model.js';
import { modulesOf } from '../../src/model/model-kinds.js';
import { getWeightMap, setWeightMap, weightShapes } from '../../src/model/weight-map.js';
import { initialWeights } from '../../src/model/initial-weights.js';
import { TOY_CONFIG } from '../train/toy-data.js';

const AUDIO_KEYS = [
  'audio.conv1/bias',
  'audio.conv1/kernel',
  'audio.conv2/bias',
  'audio.conv2/kernel',
  'audio.gru/bias',
  'audio.gru/kernel',
  'audio.gru/recurrent_kernel',
];
const VIDEO_KEYS = ['video.gru/bias', 'video.gru/kernel', 'video.gru/recurrent_kernel'];
const head = (m: string) => [`${m}.dense1/bias`, `${m}.dense1/kernel`, `${m}.out/bias`, `${m}.out/kernel`];

describe('model weight maps', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('names every weight <module>.<part>/<weight>, the same on a second build', () => {
    const expected = {
      audio: [...AUDIO_KEYS, ...head('audioHead')],
      video: [...VIDEO_KEYS, ...head('videoHead')],
      av: [...AUDIO_KEYS, ...head('fusion'), ...VIDEO_KEYS].sort(),
    };
    for (const kind of ['audio', 'video', 'av'] as const) {
      const first = Object.keys(getWeightMap(buildModel(TOY_CONFIG, kind)));
      const second = Object.keys(getWeightMap(buildModel(TOY_CONFIG, kind)));
      expect(first).toEqual(expected[kind]);
      expect(second).toEqual(first);
      const modules = new Set(first.map((k) => k.slice(0, k.indexOf('.'))));
      expect([...modules].sort()).toEqual([...modulesOf(kind)].sort());
    }
  });

  it('has the FedMultimodal shapes', () => {
    const shapes = weightShapes(buildModel(TOY_CONFIG, 'av'));
    expect(shapes['audio.conv1/kernel']).toEqual([3, 4, 4]); // [kernelSize, in, out]
    expect(shapes['audio.conv2/kernel']).toEqual([3, 4, 6]);
    expect(shapes['audio.gru/kernel']).toEqual([6, 15]);
    expect(shapes['audio.gru/recurrent_kernel']).toEqual([5, 15]);
    expect(shapes['audio.gru/bias']).toEqual([2, 15]);
    expect(shapes['video.gru/kernel']).toEqual([6, 15]);
    expect(shapes['fusion.dense1/kernel']).toEqual([10, 8]); // concat of two 5-unit states
    expect(shapes['fusion.out/kernel']).toEqual([8, 3]);
  });

  it('round-trips set → get exactly', () => {
    const built = buildModel(TOY_CONFIG, 'av');
    const weights = initialWeights(weightShapes(built), 'round-trip');
    setWeightMap(built, weights);
    const back = getWeightMap(built);
    expect(Object.keys(back)).toEqual(Object.keys(weights));
    for (const key of Object.keys(weights)) expect(back[key]).toEqual(weights[key]);
    // Returned arrays are copies that own their buffers (safe to transfer).
    expect(back['audio.gru/kernel'].buffer.byteLength).toBe(back['audio.gru/kernel'].byteLength);
  });

  it('names the key on a missing weight or a wrong length', () => {
    const built = buildModel(TOY_CONFIG, 'audio');
    const weights = initialWeights(weightShapes(built), 'bad');
    const missing = { ...weights };
    delete missing['audioHead.out/bias'];
    expect(() => setWeightMap(built, missing)).toThrow(/'audioHead\.out\/bias' is missing/);
    const short = { ...weights, 'audio.gru/kernel': new Float32Array(3) };
    expect(() => setWeightMap(built, short)).toThrow(/'audio\.gru\/kernel' has length 3, expected .* length 90/);
  });

  it('rejects an unknown model kind and a config too short for its pooling', () => {
    expect(() => modulesOf('audio-video' as never)).toThrow(/audio-video/);
    const tooShort = { ...TOY_CONFIG, audio: { ...TOY_CONFIG.audio, frames: 3 } };
    expect(() => buildModel(tooShort, 'audio')).toThrow(/audio\.frames = 3/);
  });
});
