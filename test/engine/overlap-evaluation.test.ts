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
  constructor(config: RunConfig, private readonly failFrom = Number.POSITIVE_INFINITY, private readonly turns = 5) {
    super({ labels: config.dataset.store.labels, numClasses: config.dataset.store.numClasses });
  }
  override async evaluate(task: EvalTask): Promise<EvalResult> {
    const call = this.evaluations++;
    for (let i = 0; i < this.turns; i++) await new Promise((resolve) => setImmediate(resolve));
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
      // Slow enough that an evaluation is still running when the next round closes and is saved.
      const slow = () => new SlowEvalTrainer(config, Number.POSITIVE_INFINITY, 400);
      const overlapped = await runSimulation(config, slow(), { checkpoint: overlapSink, observer: { onEval: (record) => evalsSeen.push(record.round) } });
      const plain = await runSimulation(config, new SlowEvalTrainer(config), { checkpoint: plainSink, overlapEvaluation: false });
      expect(overlapped.complete).toBe(true);
      expect(overlapped.evals.length).toBe(config.settings.rounds.reduce((a, b) => a + b, 0));
      expect(facts(overlapped)).toEqual(facts(plain));
      expect(evalsSeen).toEqual(plain.evals.map((e) => e.round));
      // A save does not wait for evaluations still running: the checkpoint holds them as work, with
      // the trace records behind them. Some checkpoints here do; each resumes to the same run.
      expect(overlapSink.saved.length).toBe(plainSink.saved.length);
      const holding = overlapSink.saved.filter((c) => (c.state.scheduler.trailing ?? []).some((e) => 'deferred' in e));
      expect(holding.length).toBeGreaterThan(0);
      expect(plainSink.saved.every((c) => c.state.scheduler.trailing === undefined)).toBe(true);
      for (const [i, checkpoint] of overlapSink.saved.entries()) {
        // The same rounds closed as at the plain run's checkpoint, and the same events once those
        // still held are counted (they are delivered after the resume).
        const held = (checkpoint.state.scheduler.trailing ?? []).filter((e) => 'deferred' in e).length;
        expect(checkpoint.state.roundsClosed).toBe(plainSink.saved[i].state.roundsClosed);
        expect(checkpoint.state.events + held).toBe(plainSink.saved[i].state.events);
        const resumed = await runSimulation(config, slow(), { resume: checkpoint });
        expect(facts(resumed)).toEqual(facts(plain));
      }
    });
  }

  it('a checkpoint of the previous layout (version 3, nothing held) still resumes to the same run', async () => {
    const config = configOf('unifl', 3);
    const sink = memorySink();
    const whole = await runSimulation(config, new SlowEvalTrainer(config), { checkpoint: sink, overlapEvaluation: false });
    const old = sink.saved[0];
    const resumed = await runSimulation(config, new SlowEvalTrainer(config), { resume: { ...old, state: { ...old.state, version: 3 } } });
    expect(facts(resumed)).toEqual(facts(whole));
    await expect(runSimulation(config, new SlowEvalTrainer(config), { resume: { ...old, state: { ...old.state, version: 2 } } })).rejects.toThrow(/checkpoint of another run-state version/);
  });

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

