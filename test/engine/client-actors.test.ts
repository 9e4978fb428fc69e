import { describe, expect, it } from 'vitest';
import { ACTORS, runSimulation } from '../../src/engine/run-simulation.js';
import type { RunCheckpoint } from '../../src/engine/run-state.js';
import { Scheduler } from '../../src/sim/scheduler.js';
import { TraceRecorder } from '../../src/sim/trace.js';
import { ActorSystem } from '../../src/sim/actor-system.js';
import { FakeTrainer } from '../../src/train/fake-trainer.js';
import { unifl } from '../../src/strategies/unifl.js';
import type { Message } from '../../src/protocol/messages.js';
import { fakeConfig } from '../helpers/fake-config.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';
import { memorySink } from '../helpers/memory-sink.js';

const clientNames = (cp: RunCheckpoint) => Object.keys(cp.state.actors).filter((n) => n.startsWith('client-'));

describe('client actors made on first contact, retired when idle', () => {
  it('exist in the run state only while they hold something; resuming from any such state gives the same hashes', async () => {
    // 12 clients, 3 per round; client 5 drops out at round 1 and rejoins 2 rounds later; client 7 is slowed.
    const config = fakeConfig(unifl as never, {
      dataset: tinyDataset(12, 3),
      settings: { seed: 7, rounds: [5], params: {}, hyper: { epochs: 1, batchSize: 2, lr: 0.1, momentum: 0.9, weightDecay: 0, clipNorm: 0 } },
      rules: { clientsPerRound: 3, fractionOf: 'population', overSelection: 1, deadlineMs: null, minReplies: 1 },
      timeline: [
        { index: 0, at: { round: 1, offsetMs: 0 }, clientIds: ['5'], event: { type: 'client/dropout', reason: 'scenario dropout' }, until: { durationRounds: 2 } },
        { index: 1, at: { round: 0, offsetMs: 0 }, clientIds: ['7'], event: { type: 'client/slowdown', factor: 3, reason: 't' } },
      ],
    });
    const trainer = () => new FakeTrainer({ labels: config.dataset.store.labels, numClasses: 3 });
    const sink = memorySink();
    const whole = await runSimulation(config, trainer(), { checkpoint: sink });
    expect(sink.saved.length).toBeGreaterThan(2);
    // Rounds close when every client replied: no client holds an in-flight task at a checkpoint, so
    // the only client states kept are the slowed one and, while it is away, the dropped one.
    const held = sink.saved.map(clientNames);
    expect(held[0]).toEqual([ACTORS.client('7')]);
    expect(held[1]).toEqual([ACTORS.client('5'), ACTORS.client('7')]);
    expect(held[held.length - 1]).toEqual([ACTORS.client('7')]);
    for (const cp of sink.saved) {
      const resumed = await runSimulation(config, trainer(), { resume: cp });
      expect([resumed.traceHash, resumed.weightsHash]).toEqual([whole.traceHash, whole.weightsHash]);
    }
  });

  it('an actor made on demand and retired behaves as one spawned up front (same states, same trace)', async () => {
    type Counter = { n: number };
    // Slowdowns count up; a rejoin resets to the initial state, which is what "idle" means here.
    const behaviour = (state: Counter, msg: Message): Counter => (msg.type === 'client/slowdown' ? { n: state.n + (msg.factor ?? 0) } : { n: 0 });
    const script: Message[] = [{ type: 'client/slowdown', factor: 2, reason: 't' }, { type: 'client/slowdown', factor: 3, reason: 't' }, { type: 'client/rejoin', reason: 't' }, { type: 'client/slowdown', factor: 5, reason: 't' }];
    const drive = async (lazy: boolean) => {
      const trace = new TraceRecorder({ retain: true });
      const scheduler = new Scheduler(trace);
      const system = new ActorSystem(scheduler);
      const made = { behaviour, initialState: { n: 0 }, idle: (s: Counter) => s.n === 0 };
      if (lazy) system.spawnOnDemand((name) => (name === 'a' ? (made as never) : null));
      else system.spawn('a', behaviour, made.initialState);
      script.forEach((msg, i) => scheduler.send('test', 'a', msg, i));
      const sizes: number[] = [];
      await scheduler.run(async (e) => {
        await system.deliver(e);
        sizes.push(system.size);
      });
      const final = system.size > 0 ? system.stateOf<Counter>('a') : null;
      system.shutdown();
      return { digest: trace.digest(), sizes, final };
    };
    const eager = await drive(false);
    const lazy = await drive(true);
    expect(lazy.digest).toBe(eager.digest);
    expect(lazy.sizes).toEqual([1, 1, 0, 1]); // retired after the reset, made again on the next message
    expect(lazy.final).toEqual({ n: 5 });
    expect(eager.final).toEqual({ n: 5 });
  });
});
