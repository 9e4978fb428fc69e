/**
 * Moving ModalityMirror to the local-step API (its distillation became an objective of its own
 * file) changed one thing a run records: the shape of the distillation step in the plans sent to
 * clients, `{kind:'distill', distill:{alpha, temperature}, teacher}` before, `{kind:'distill',
 * model:'audio', params:{alpha, temperature}, frozen}` now. So its traceHash changed once, while
 * its weightsHash did not. This test proves that nothing else changed: the new trace, with those
 * steps written back in the old shape, hashes to exactly the traceHash the engine gave before the
 * move (commit 26a8110, `runInMemory` on the scenario below, fake trainer), record for record.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encode } from '../../src/core/codec.js';
import { digestPayload, type TraceRecord } from '../../src/sim/trace.js';
import { runInMemory } from '../../src/testing/index.js';
import { kitScenario } from '../helpers/kit-scenario.js';

/** What the engine at 26a8110 gave for KIT. */
const BEFORE = {
  traceHash: 'a351581dba2b2510ee830bc342c3f30d982709f0c0d7068149f81617c1483c32',
  weightsHash: '8cd6daadfd328b5fc1bce4aa2f36ebb9d8637bf3c213cc612c8d0bbd44f90830',
  records: 106,
};

const KIT = kitScenario({
  summary: 'modality-mirror trace compatibility',
  data: { kind: 'synthetic', seed: 1, numClasses: 3, samplesPerClass: 20, numClients: 6, alpha: 5, minSamplesPerClient: 3, audioFrames: 4, audioDims: 2, videoFrames: 2, videoDims: 2 },
  videoMissingRate: 0.4,
  algorithm: { name: 'modality-mirror', rounds: 3 },
  rounds: { clientsPerRound: 4, deadlineMs: 900 },
  population: { jitterSigma: 0.3 },
  timeline: [{ type: 'dropout', at: { round: 1, offsetMs: 10 }, target: { clients: ['2'] } }],
});

type Step = Record<string, unknown>;

/** A distillation step in the shape the engine sent before the local-step API. */
function oldStep(step: Step): Step {
  if (step.kind !== 'distill') return step;
  const { model, params, frozen, ...rest } = step;
  expect(model).toBe('audio');
  return { ...rest, distill: params, teacher: frozen };
}

/** The record with its plan's steps in the old shape (other records unchanged). */
function inOldShape(record: TraceRecord): TraceRecord {
  const plan = (record.msg as { plan?: { steps?: Step[] } }).plan;
  if (record.type !== 'train/request' || !plan?.steps) return record;
  const msg = { ...record.msg, plan: { ...plan, steps: plan.steps.map(oldStep) } };
  return { ...record, msg: digestPayload(msg) as Record<string, unknown> };
}

/** The trace hash of `records` as TraceRecorder computes it: sha-256 over each record's encoding. */
function traceHashOf(records: readonly TraceRecord[]): string {
  const hash = createHash('sha256');
  for (const record of records) hash.update(encode(record));
  return hash.digest('hex');
}

describe('ModalityMirror after the move to one file: only the distillation step changed shape', () => {
  it('gives the same weights, and its trace with the old step shape hashes to the old traceHash', async () => {
    const { result } = await runInMemory(KIT);
    expect(result.weightsHash).toBe(BEFORE.weightsHash);
    expect(result.trace).toHaveLength(BEFORE.records);
    // Recomputing the hash from the records reproduces the run's own (the check below means something) …
    expect(traceHashOf(result.trace)).toBe(result.traceHash);
    // … distillation steps were sent in this run …
    const distills = result.trace.filter((r) => r.type === 'train/request' && JSON.stringify(r.msg).includes('"kind":"distill"'));
    expect(distills.length).toBeGreaterThan(0);
    // … and rewritten to the old shape, the trace is the old engine's, bit for bit.
    expect(traceHashOf(result.trace.map(inOldShape))).toBe(BEFORE.traceHash);
  });
});
