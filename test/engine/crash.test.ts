import { describe, expect, it } from 'vitest';
import { runSimulation } from '../../src/engine/run-simulation.js';
import { RunCrashError } from '../../src/sim/scheduler.js';
import type { PhaseState, Strategy } from '../../src/strategies/strategy.js';
import { unifl } from '../../src/strategies/unifl.js';
import { FakeTrainer } from '../../src/train/fake-trainer.js';
import { fakeConfig } from '../helpers/fake-config.js';

describe('a crash in a handler', () => {
  it('fails the run loudly with the actor, the message and the last trace events', async () => {
    const broken = { ...unifl, aggregate: () => { throw new Error('aggregation exploded'); } } as unknown as Strategy<PhaseState>;
    const config = fakeConfig(broken);
    const run = runSimulation(config, new FakeTrainer({ labels: config.dataset.store.labels, numClasses: 3 }));
    const error = await run.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(RunCrashError);
    const crash = error as RunCrashError;
    expect(crash.actor).toBe('server');
    expect(crash.messageType).toBe('train/reply');
    expect(crash.message).toMatch(/actor "server" crashed handling train\/reply: Error: aggregation exploded/);
    expect(crash.traceTail.length).toBeGreaterThan(0);
    expect(crash.traceTail[crash.traceTail.length - 1].type).toBe('train/reply');
    expect(crash.message).toMatch(/last trace events:\n {2}#0 t=0ms world -> server run\/start\n/);
    expect(crash.message).toMatch(/\n {2}#\d+ t=[\d.]+ms client-\d+ -> server train\/reply$/);
  });
});
