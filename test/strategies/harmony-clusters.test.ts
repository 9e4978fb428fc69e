import { describe, expect, it } from 'vitest';
import { rng } from '../../src/core/seed-streams.js';
import { clusterByModalityBias, harmony, moduleDrift } from '../../src/strategies/harmony.js';
import { kmeans } from '../../src/strategies/kmeans.js';
import type { UpdateReply } from '../../src/strategies/strategy.js';

const f = (...v: number[]) => Float32Array.from(v);

describe('k-means', () => {
  it('separates two obvious groups, labels clusters by first appearance, and is seeded', () => {
    const points = [[0, 0], [10, 10], [0.1, 0], [10, 9.9], [0, 0.2]];
    const labels = kmeans(points, 2, rng(1, 'k'));
    expect(labels).toEqual([0, 1, 0, 1, 0]);
    expect(kmeans(points, 2, rng(2, 'k'))).toEqual(labels);
  });

  it('never makes more clusters than distinct points', () => {
    expect(kmeans([[1, 1], [1, 1]], 3, rng(1, 'k'))).toEqual([0, 0]);
  });
});

describe("Harmony's modality-bias clusters", () => {
  const reference = { 'audio.e/kernel': f(1, 0), 'video.e/kernel': f(0, 1), 'fusion.d/kernel': f(0) };
  // Clients 0 and 2 moved their audio encoder a lot and video little; 1 and 3 the reverse.
  const reply = (clientId: string, audio: number[], video: number[], fusion: number): UpdateReply => ({
    clientId, numSamples: 10, meanLoss: 0, weights: { 'audio.e/kernel': f(...audio), 'video.e/kernel': f(...video), 'fusion.d/kernel': f(fusion) },
  });
  const replies = [reply('0', [2, 0], [0, 1.01], 1), reply('1', [1.01, 0], [0, 2], 3), reply('2', [1.9, 0], [0, 1], 5), reply('3', [1, 0], [0, 2.1], 7)];

  it('measures relative drift per module', () => {
    expect(moduleDrift(reference, replies[0].weights, 'audio')).toBeCloseTo(1, 6);
    expect(moduleDrift(reference, replies[0].weights, 'video')).toBeCloseTo(0.01, 6);
  });

  it('groups clients by which encoder drifted, and averages fusion only within each group', () => {
    expect(clusterByModalityBias(() => reference, replies, 2, 1, 0)).toEqual([0, 1, 0, 1]);
    const settings = { seed: 1, hyper: { epochs: 1, batchSize: 1, lr: 0.1, momentum: 0, weightDecay: 0, clipNorm: 0 }, rounds: [0, 3], params: { clusters: 2 } };
    const state = harmony.init({ ...reference, 'audioHead.h/kernel': f(0), 'videoHead.h/kernel': f(0) }, settings);
    expect(state.phaseIndex).toBe(1);
    const next = harmony.aggregate(state, replies, 0, settings);
    expect(next.clientFusion['0']['fusion.d/kernel'][0]).toBeCloseTo(3, 6); // mean of 1 and 5
    expect(next.clientFusion['1']['fusion.d/kernel'][0]).toBeCloseTo(5, 6); // mean of 3 and 7
    expect(next.globalFusion['fusion.d/kernel'][0]).toBeCloseTo(4, 6);
    // Encoders are not averaged: the global (stage-1) audio encoder is unchanged.
    expect(next.global['audio.e/kernel']).toBe(state.global['audio.e/kernel']);
    // Next round's drift is measured from where each client starts: its own encoders.
    expect(next.clientEncoders['0']['audio.e/kernel']).toBe(replies[0].weights['audio.e/kernel']);
    // A client that sends the same encoders again drifted 0 this round (from stage 1 it would be 1).
    expect(moduleDrift(next.clientEncoders['1'], replies[1].weights, 'video')).toBe(0);
    expect(moduleDrift(state.global, replies[1].weights, 'video')).toBeCloseTo(1, 6);
    // Each client's next plan starts from its cluster's fusion and keeps its own encoders.
    const plan = harmony.plan(next, { id: '2', numSamples: 10, hasAudio: true, hasVideo: true }, 1, settings);
    expect(plan.weights['fusion.d/kernel'][0]).toBeCloseTo(3, 6);
    expect(plan.keepLocal).toEqual(['audio', 'video']);
  });
});
