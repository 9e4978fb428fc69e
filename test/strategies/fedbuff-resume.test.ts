import { describe, expect, it } from 'vitest';
import { buildRunConfig } from '../../src/engine/build-run-config.js';
import { loadScenarioData } from '../../src/scenario/prepare-dataset.js';
import type { RunConfig } from '../../src/engine/run-config.js';
import { runSimulation } from '../../src/engine/run-simulation.js';
import { validateScenario } from '../../src/scenario/load-scenario.js';
import { FakeTrainer } from '../../src/train/fake-trainer.js';
import { stormyScenario } from '../helpers/checkpoint-scenarios.js';
import { memorySink, resumeFacts } from '../helpers/memory-sink.js';

/** The stormy checkpoint scenario under FedBuff: per-task deadline, stragglers, lossy links, timed and round-placed dropouts. */
function configOf(computeDoomed: boolean): RunConfig {
  const stormy = stormyScenario('unifl', 6);
  const scenario = validateScenario({ ...stormy, name: 'stormy-fedbuff', algorithm: { name: 'fedbuff', rounds: 6, params: { concurrency: 3, bufferSize: 2 } }, rounds: { clientsPerRound: 4, deadlineMs: 120 } }, 'test');
  return { ...buildRunConfig(scenario, loadScenarioData(scenario, 'test'), 'test'), computeDoomed };
}
const fake = (config: RunConfig) => new FakeTrainer({ labels: config.dataset.store.labels, numClasses: config.dataset.store.numClasses });

describe('FedBuff checkpoints', () => {
  for (const computeDoomed of [false, true]) {
    it(`resuming from any server step's checkpoint gives the uninterrupted run${computeDoomed ? ' (doomed work computed)' : ''}`, async () => {
      const config = configOf(computeDoomed);
      const sink = memorySink();
      const whole = await runSimulation(config, fake(config), { checkpoint: sink });
      expect(whole.complete).toBe(true);
      expect(sink.saved.map((c) => c.state.roundsClosed)).toEqual([1, 2, 3, 4, 5]);
      // What the checkpoints carry: tasks in flight across steps, buffered state, timed-out and dropped tasks.
      expect(sink.saved.every((c) => c.state.scheduler.events.some((e) => e.work?.kind === 'train'))).toBe(true);
      expect(whole.rounds.some((r) => r.late.some((o) => /deadline/.test(o.reason)))).toBe(true);
      expect(whole.rounds.some((r) => r.dropped.length > 0)).toBe(true);
      expect(whole.rounds.flatMap((r) => r.contributions ?? []).some((c) => c.staleness > 0)).toBe(true);
      for (const checkpoint of sink.saved) {
        const resumed = await runSimulation(config, fake(config), { resume: checkpoint });
        expect(resumeFacts(resumed)).toEqual(resumeFacts(whole));
      }
    });
  }

  it('computing the work the clock dooms changes nothing that is aggregated', async () => {
    const skipped = await runSimulation(configOf(false), fake(configOf(false)));
    const computed = await runSimulation(configOf(true), fake(configOf(true)));
    expect(computed.weightsHash).toBe(skipped.weightsHash);
    expect(computed.rounds.map((r) => r.contributions)).toEqual(skipped.rounds.map((r) => r.contributions));
  });

  it('an abort mid-run saves a checkpoint; resuming it finishes the same run', async () => {
    const config = configOf(false);
    const whole = await runSimulation(config, fake(config));
    for (const at of [7, 40, 75]) {
      const controller = new AbortController();
      const sink = memorySink(2);
      const partial = await runSimulation(config, fake(config), { checkpoint: sink, signal: controller.signal, observer: { onTrace: (r) => r.seq >= at && controller.abort('SIGTERM') } });
      expect(partial).toMatchObject({ complete: false, interrupted: 'SIGTERM' });
      const resumed = await runSimulation(config, fake(config), { resume: sink.saved[sink.saved.length - 1] });
      expect(resumeFacts(resumed)).toEqual(resumeFacts(whole));
    }
  });
});
