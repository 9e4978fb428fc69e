import { describe, expect, it } from 'vitest';
import { buildRunConfig } from '../../src/engine/build-run-config.js';
import { loadScenarioData } from '../../src/scenario/prepare-dataset.js';
import type { RunConfig } from '../../src/engine/run-config.js';
import { runSimulation, type RunResult } from '../../src/engine/run-simulation.js';
import { validateScenario } from '../../src/scenario/load-scenario.js';
import { RunCrashError } from '../../src/sim/scheduler.js';
import { FakeTrainer } from '../../src/train/fake-trainer.js';
import type { EvalResult, EvalTask } from '../../src/protocol/trainer.js';
import { stormyScenario } from '../helpers/checkpoint-scenarios.js';
import { memorySink } from '../helpers/memory-sink.js';

// Evaluation overlapping the next round's training (the default) against waiting for each
// evaluation in turn (overlapEvaluation: false): the same run in every observable respect.

function configOf(method: 'unifl' | 'modality-mirror', rounds: number): RunConfig {
  const scenario = validateScenario(stormyScenario(method, rounds), 'test');
  return buildRunConfig(scenario, loadScenarioData(scenario, 'test'), 'test');
}

/**
 * The fake trainer, with evaluation that finishes only after a few turns of the event loop (so
 * that, overlapped, it really trails the clock), and whose evaluations from call `failFrom` on fail.
 */
class SlowEvalTrainer extends FakeTrainer {
  evaluations = 0;
  constructor(config: RunConfig, private readonly failFrom = Number.POSITIVE_INFINITY) {
    super({ labels: config.dataset.store.labels, numClasses: config.dataset.store.numClasses });
  }
  override async evaluate(task: EvalTask): Promise<EvalResult> {
    const call = this.evaluations++;
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    if (call >= this.failFrom) throw new Error('worker ran out of memory');
    return super.evaluate(task);
  }
}

const facts = (r: RunResult) => ({ traceHash: r.traceHash, weightsHash: r.weightsHash, events: r.events, rounds: r.rounds, evals: r.evals, final: r.final, headline: r.headline, trace: r.trace });

describe('evaluation off the critical path', () => {
  for (const [method, rounds] of [['unifl', 5], ['modality-mirror', 3]] as const) {
    it(`${method}: same hashes, trace, scores, checkpoints and resumes with and without the overlap`, async () => {
      const config = configOf(method, rounds);
      const overlapSink = memorySink();
      const plainSink = memorySink();
      const evalsSeen: number[] = [];
      const overlapped = await runSimulation(config, new SlowEvalTrainer(config), { checkpoint: overlapSink, observer: { onEval: (record) => evalsSeen.push(record.round) } });
      const plain = await runSimulation(config, new SlowEvalTrainer(config), { checkpoint: plainSink, overlapEvaluation: false });
      expect(overlapped.complete).toBe(true);
      expect(overlapped.evals.length).toBe(config.settings.rounds.reduce((a, b) => a + b, 0));
      expect(facts(overlapped)).toEqual(facts(plain));
      expect(evalsSeen).toEqual(plain.evals.map((e) => e.round));
      // Every checkpoint is the same state: deferred evaluations are delivered before a save.
      expect(overlapSink.saved.length).toBeGreaterThan(0);
      expect(overlapSink.saved).toEqual(plainSink.saved);
      const resumed = await runSimulation(config, new SlowEvalTrainer(config), { resume: overlapSink.saved[1] });
      expect(facts(resumed)).toEqual(facts(plain));
    });
  }

  it('an evaluation that fails still fails the run loudly, naming the round, at the same trace point as without the overlap', async () => {
    const config = configOf('unifl', 4);
    // How many evaluation calls the first two rounds make; the third round's all fail.
    const probe = new SlowEvalTrainer(config);
    await runSimulation({ ...config, settings: { ...config.settings, rounds: [2] } }, probe);
    const crash = async (overlapEvaluation: boolean) =>
      runSimulation(config, new SlowEvalTrainer(config, probe.evaluations), { overlapEvaluation }).then(
        () => null,
        (error: unknown) => error as RunCrashError,
      );
    const overlapped = await crash(true);
    const plain = await crash(false);
    expect(overlapped).toBeInstanceOf(RunCrashError);
    expect(overlapped!.actor).toBe('evaluator');
    expect(overlapped!.message).toMatch(/crashed handling eval\/done: Error: evaluation of round 2 failed: worker ran out of memory/);
    expect(plain!.message.split('\n')[0]).toBe(overlapped!.message.split('\n')[0]);
    expect(overlapped!.traceTail).toEqual(plain!.traceTail);
    expect(overlapped!.traceTail.at(-1)).toMatchObject({ type: 'eval/done', to: 'evaluator' });
  });
});

