// The protocol-testing example from the README, kept here verbatim so the README never goes stale.
import { describe, expect, it } from 'vitest';
import { runInMemory, defineScenario } from '../../src/testing/index.js';

const scenario = defineScenario({
  name: 'late-reply',
  summary: 'one very slow client misses the deadline',
  data: { kind: 'synthetic', numClasses: 3, samplesPerClass: 20, numClients: 4, minSamplesPerClient: 3 },
  algorithm: { name: 'unifl', rounds: 3 },
  rounds: { clientsPerRound: 4, deadlineMs: 2_000 },
  timeline: [{ type: 'slowdown', at: { round: 0 }, target: { clients: ['2'] }, factor: 1_000 }],
});

describe('README example', () => {
  it('discards the late reply', async () => {
    const { result, trace } = await runInMemory(scenario, { computeDoomed: true });
    expect(result.rounds[0].late.map((l) => l.clientId)).toEqual(['2']);
    expect(result.rounds[0].succeeded).not.toContain('2');
    expect(trace.ofType('train/reply').client('2').round(0).first()!.atMs).toBeGreaterThan(2_000);
    expect(trace.client('2').lines().slice(0, 2)).toEqual(['t=0 world -> client-2 client/slowdown (scenario slowdown)', 't=0 server -> client-2 train/request r0']);
  });
});
