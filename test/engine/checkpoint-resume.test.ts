import { describe, expect, it } from 'vitest';
import { buildRunConfig } from '../../src/engine/build-run-config.js';
import { loadScenarioData } from '../../src/scenario/prepare-dataset.js';
import type { RunConfig } from '../../src/engine/run-config.js';
import { runSimulation } from '../../src/engine/run-simulation.js';
import { validateScenario } from '../../src/scenario/load-scenario.js';
import { FakeTrainer } from '../../src/train/fake-trainer.js';
import type { Trainer, TrainResult, TrainTask } from '../../src/protocol/trainer.js';
import { stormyScenario } from '../helpers/checkpoint-scenarios.js';
import { memorySink, resumeFacts } from '../helpers/memory-sink.js';

/** The run's config; `computeDoomed` also trains stragglers the deadline already dooms (more work in flight). */
function configOf(method: 'unifl' | 'modality-mirror', rounds: number, computeDoomed = false): RunConfig {
  const scenario = validateScenario(stormyScenario(method, rounds), 'test');
  return { ...buildRunConfig(scenario, loadScenarioData(scenario, 'test'), 'test'), computeDoomed };
}
const fake = (config: RunConfig) => new FakeTrainer({ labels: config.dataset.store.labels, numClasses: config.dataset.store.numClasses });

describe('checkpoints of the run state', () => {
  for (const [method, rounds, computeDoomed] of [['unifl', 6, false], ['modality-mirror', 3, true]] as const) {
    it(`${method}${computeDoomed ? ' (doomed work computed)' : ''}: resuming from any round's checkpoint gives the uninterrupted run's hashes, rounds and trace`, async () => {
      const config = configOf(method, rounds, computeDoomed);
      const sink = memorySink();
      const whole = await runSimulation(config, fake(config), { checkpoint: sink });
      expect(whole.complete).toBe(true);
      const total = config.settings.rounds.reduce((a, b) => a + b, 0);
      expect(sink.saved.map((c) => c.state.roundsClosed)).toEqual(Array.from({ length: total - 1 }, (_, i) => i + 1));
      // What the checkpoints carry: stragglers still training, a pending rejoin, late and dropped clients.
      const queued = sink.saved.flatMap((c) => c.state.scheduler.events);
      expect(queued.some((e) => e.work?.kind === 'train')).toBe(true);
      expect(queued.some((e) => e.msg.type === 'world/fire' && e.msg.rejoin === true)).toBe(true);
      expect(whole.rounds.some((r) => r.late.length > 0) && whole.rounds.some((r) => r.dropped.length > 0)).toBe(true);
      for (const checkpoint of sink.saved) {
        const resumed = await runSimulation(config, fake(config), { resume: checkpoint });
        expect(resumeFacts(resumed)).toEqual(resumeFacts(whole));
      }
    });
  }

  it('an abort stops after the current event and saves a checkpoint there; resuming it finishes the same run', async () => {
    const config = configOf('modality-mirror', 3);
    const whole = await runSimulation(config, fake(config));
    for (const at of [5, 37, 90]) {
      const controller = new AbortController();
      const sink = memorySink(2);
      const partial = await runSimulation(config, fake(config), {
        checkpoint: sink,
        signal: controller.signal,
        observer: { onTrace: (r) => r.seq >= at && controller.abort('SIGTERM') },
      });
      expect(partial).toMatchObject({ complete: false, interrupted: 'SIGTERM', failure: null });
      // Every 2 closed rounds, then one where the abort stopped the run.
      expect(sink.saved.slice(0, -1).map((c) => c.state.roundsClosed)).toEqual([2, 4].filter((n) => n <= partial.rounds.length));
      expect(partial.events).toBeLessThan(whole.events);
      const last = sink.saved[sink.saved.length - 1];
      expect(last.state.events).toBe(partial.events);
      expect(partial.traceHash).toBe(last.state.traceHash);
      const resumed = await runSimulation(config, fake(config), { resume: last });
      expect(resumeFacts(resumed)).toEqual(resumeFacts(whole));
    }
  });

  it('an abort while waiting on a training task puts its event back; the resumed run submits the task again', async () => {
    const config = configOf('unifl', 4);
    const whole = await runSimulation(config, fake(config));
    const controller = new AbortController();
    const inner = fake(config);
    let blocked = 0;
    // Training tasks of round 2 never finish in this process: the run is stopped while waiting for one.
    const stuck: Trainer = {
      backend: inner.backend,
      initWeights: (m, s) => inner.initWeights(m, s),
      evaluate: (t) => inner.evaluate(t),
      close: () => inner.close(),
      train(task: TrainTask): Promise<TrainResult> {
        if (!task.seed.includes('/train/') || !/\/2\/0$/.test(task.seed)) return inner.train(task);
        if (++blocked === 1) queueMicrotask(() => setImmediate(() => controller.abort('SIGINT')));
        return new Promise(() => {});
      },
    };
    const sink = memorySink();
    const partial = await runSimulation(config, stuck, { checkpoint: sink, signal: controller.signal });
    expect(partial.interrupted).toBe('SIGINT');
    expect(blocked).toBeGreaterThan(0);
    const last = sink.saved[sink.saved.length - 1];
    expect(last.state.scheduler.events.some((e) => e.work?.kind === 'train' && e.work.binding.round === 2)).toBe(true);
    const fresh = fake(config);
    const resumed = await runSimulation(config, fresh, { resume: last });
    expect(resumeFacts(resumed)).toEqual(resumeFacts(whole));
    expect(fresh.trained.some((t) => /\/2\/0$/.test(t.seed))).toBe(true);
  });

  it('refuses a checkpoint whose trace does not match its state', async () => {
    const config = configOf('unifl', 3);
    const sink = memorySink();
    await runSimulation(config, fake(config), { checkpoint: sink });
    const bad = { ...sink.saved[0], trace: sink.saved[0].trace.slice(1) };
    await expect(runSimulation(config, fake(config), { resume: bad })).rejects.toThrow(/checkpoint trace does not match its state/);
  });
});
