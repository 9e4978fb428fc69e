import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyModalityMask, missingClients, missingDraw } from '../../src/data/modality-mask.js';
import { ConfigError } from '../../src/core/errors.js';

const ids = Array.from({ length: 100 }, (_, i) => String(i));

describe('missingClients', () => {
  it('is monotone in the rate: missing(p1) ⊆ missing(p2) for p1 <= p2', () => {
    fc.assert(
      fc.property(fc.integer(), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (seed, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const small = missingClients(ids, low, seed, 'video');
        const large = new Set(missingClients(ids, high, seed, 'video'));
        expect(small.every((id) => large.has(id))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('rate 0 loses nobody, rate 1 loses everybody, and the count tracks the rate', () => {
    expect(missingClients(ids, 0, 1, 'video')).toEqual([]);
    expect(missingClients(ids, 1, 1, 'video')).toEqual(ids);
    const many = Array.from({ length: 2000 }, (_, i) => `c${i}`);
    const lost = missingClients(many, 0.3, 1, 'video').length;
    expect(lost).toBeGreaterThan(540); // 600 ± ~4.5 standard deviations of 20.5
    expect(lost).toBeLessThan(660);
  });

  it("decides each client by its own draw: other clients' presence does not matter", () => {
    const some = ['3', '17', '42', '99'];
    const all = new Set(missingClients(ids, 0.5, 7, 'video'));
    expect(missingClients(some, 0.5, 7, 'video')).toEqual(some.filter((id) => all.has(id)));
    expect(missingClients(['42'], 0.5, 7, 'video')).toEqual(missingDraw(7, 'video', '42') < 0.5 ? ['42'] : []);
  });

  it('draws audio and video from different streams', () => {
    const video = missingClients(ids, 0.5, 1, 'video');
    const audio = missingClients(ids, 0.5, 1, 'audio');
    expect(audio).not.toEqual(video);
  });

  it('rejects a rate outside [0, 1]', () => {
    expect(() => missingClients(ids, 1.2, 1, 'video')).toThrow(ConfigError);
    expect(() => missingClients(ids, Number.NaN, 1, 'audio')).toThrow(/audioMissingRate/);
  });
});

describe('applyModalityMask', () => {
  it('sorts clients by id as strings and sets the flags from the draws', () => {
    const parts = ['2', '10', '1'].map((id) => ({ id, indices: [Number(id)] }));
    const clients = applyModalityMask(parts, { videoMissingRate: 1, audioMissingRate: 0 }, 5);
    expect(clients).toEqual([
      { id: '1', train: [1], hasVideo: false, hasAudio: true },
      { id: '10', train: [10], hasVideo: false, hasAudio: true },
      { id: '2', train: [2], hasVideo: false, hasAudio: true },
    ]);
    const half = applyModalityMask(ids.map((id) => ({ id, indices: [] })), { videoMissingRate: 0.5 }, 5);
    const expected = new Set(missingClients(ids, 0.5, 5, 'video'));
    expect(half.filter((c) => !c.hasVideo).map((c) => c.id).sort()).toEqual([...expected].sort());
    expect(half.every((c) => c.hasAudio)).toBe(true);
  });
});
