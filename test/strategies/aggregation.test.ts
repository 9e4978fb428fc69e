import { describe, expect, it } from 'vitest';
import { weightedAverage } from '../../src/strategies/aggregators/index.js';
import type { UpdateReply } from '../../src/strategies/strategy.js';

const f = (...v: number[]) => Float32Array.from(v);
const reply = (clientId: string, numSamples: number, weights: Record<string, Float32Array>): UpdateReply => ({ clientId, numSamples, weights, meanLoss: 0 });

describe('sample-weighted FedAvg', () => {
  it('matches a hand-computed example', () => {
    const global = { 'audio.w/kernel': f(0, 0) };
    // (1·[1, 2] + 3·[5, 6]) / 4 = [4, 5]
    const out = weightedAverage(global, [reply('b', 3, { 'audio.w/kernel': f(5, 6) }), reply('a', 1, { 'audio.w/kernel': f(1, 2) })]);
    expect(Array.from(out['audio.w/kernel'])).toEqual([4, 5]);
  });

  it('keeps the global weights when no reply came', () => {
    const global = { 'audio.w/kernel': f(7, 8) };
    expect(weightedAverage(global, [])['audio.w/kernel']).toBe(global['audio.w/kernel']);
  });

  it('gives the same bits whatever order the replies arrive in', () => {
    const global = { 'audio.w/kernel': f(0) };
    const replies = [reply('2', 3, { 'audio.w/kernel': f(0.1) }), reply('10', 7, { 'audio.w/kernel': f(0.3) }), reply('1', 5, { 'audio.w/kernel': f(0.7) })];
    const a = weightedAverage(global, replies)['audio.w/kernel'][0];
    const b = weightedAverage(global, replies.slice().reverse())['audio.w/kernel'][0];
    expect(Object.is(a, b)).toBe(true);
  });

  it('refuses an update of the wrong size, naming the client and weight', () => {
    expect(() => weightedAverage({ 'audio.w/kernel': f(0, 0) }, [reply('c7', 1, { 'audio.w/kernel': f(1) })])).toThrow(/client c7: weight audio.w\/kernel has 1 values, expected 2/);
  });
});

describe('per-module averaging (modality-wise FL)', () => {
  it('averages each module over the clients that trained it and leaves the others untouched', () => {
    const global = { 'audio.w/kernel': f(0), 'video.w/kernel': f(10), 'fusion.w/kernel': f(20) };
    const audioOnly = reply('0', 2, { 'audio.w/kernel': f(2) });
    const both = reply('1', 6, { 'audio.w/kernel': f(6), 'video.w/kernel': f(12) });
    const out = weightedAverage(global, [audioOnly, both]);
    expect(out['audio.w/kernel'][0]).toBeCloseTo((2 * 2 + 6 * 6) / 8, 6); // over both clients
    expect(out['video.w/kernel'][0]).toBeCloseTo(12, 6); // only the audio-visual client holds video
    expect(out['fusion.w/kernel']).toBe(global['fusion.w/kernel']); // nobody trained fusion
  });

  it('with onlyModules, touches nothing else even if replies carry it (Harmony stage 2)', () => {
    const global = { 'audio.w/kernel': f(1), 'fusion.w/kernel': f(0) };
    const out = weightedAverage(global, [reply('0', 1, { 'audio.w/kernel': f(9), 'fusion.w/kernel': f(4) })], ['fusion']);
    expect(out['audio.w/kernel']).toBe(global['audio.w/kernel']);
    expect(out['fusion.w/kernel'][0]).toBe(4);
  });
});
