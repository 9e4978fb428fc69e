import { describe, expect, it } from 'vitest';
import { runGrid, GridCellFailedError } from '../../src/engine/run-grid.js';
import { TrainingFailedError } from '../../src/engine/run-failure.js';
import { runSimulation } from '../../src/engine/run-simulation.js';
import { loadScenarioData } from '../../src/scenario/prepare-dataset.js';
import { validateScenario } from '../../src/scenario/load-scenario.js';
import { modalityMirror } from '../../src/strategies/modality-mirror.js';
import type { PhaseState, Strategy } from '../../src/strategies/strategy.js';
import { unifl } from '../../src/strategies/unifl.js';
import { FakeTrainer } from '../../src/train/fake-trainer.js';
import type { TrainTask } from '../../src/protocol/trainer.js';
import { FaultInjectingTrainer, runInMemory } from '../../src/testing/index.js';
import { fakeConfig } from '../helpers/fake-config.js';
import { kitScenario } from '../helpers/kit-scenario.js';

const KERNEL = "Kernel 'ReluMaxPool1dGrad' not registered for backend 'tensorflow'";
const fake = (config = fakeConfig(unifl)) => new FakeTrainer({ labels: config.dataset.store.labels, numClasses: 3 });
const rejection = (promise: Promise<unknown>) => promise.then(() => null, (e: unknown) => e);

describe('a run that cannot train', () => {
  it('stops after the first round whose tasks all fail with the same reason, naming it, the round and the method', async () => {
    const config = fakeConfig(unifl, { settings: { ...fakeConfig(unifl).settings, rounds: [5] } });
    const trainer = new FaultInjectingTrainer(fake(config), { reason: KERNEL });
    const error = await rejection(runSimulation(config, trainer));
    expect(error).toBeInstanceOf(TrainingFailedError);
    const { failure, result, message } = error as TrainingFailedError;
    expect(failure).toMatchObject({ kind: 'same-reason', method: 'unifl', round: 0, phase: 'fedavg', reason: `training failed: ${KERNEL}` });
    expect(message).toBe(`run cannot train: all 2 training tasks of round 0 (phase fedavg, method unifl, seed 7) failed with the same reason: training failed: ${KERNEL}; the run stopped after that round`);
    // Nothing computed is lost: the failed round is recorded; no later round was started.
    expect(result.complete).toBe(false);
    expect(result.rounds.map((r) => [r.round, r.status, r.failed.length])).toEqual([[0, 'failed', 2]]);
    expect(trainer.failedTasks).toHaveLength(2);
    expect(result.trace.some((r) => r.type === 'train/request' && r.msg.round === 1)).toBe(false);
  });

  it('stops in the phase that cannot train (distillation), keeping the rounds of the phase that did', async () => {
    const base = fakeConfig(modalityMirror as unknown as Strategy<PhaseState>);
    const config = { ...base, settings: { ...base.settings, rounds: [2, 3], params: { ...modalityMirror.defaults } } };
    const trainer = new FaultInjectingTrainer(fake(config), { reason: "Kernel 'KLDivGrad' not registered", when: (task) => task.kind === 'distill' });
    const error = (await rejection(runSimulation(config, trainer))) as TrainingFailedError;
    expect(error).toBeInstanceOf(TrainingFailedError);
    expect(error.failure).toMatchObject({ kind: 'same-reason', method: 'modality-mirror', round: 2, phase: 'distillation' });
    expect(error.result.rounds.map((r) => r.status)).toEqual(['ok', 'ok', 'failed']);
    expect(error.result.evals.map((e) => e.round)).toEqual([0, 1]);
  });

  it('fails after the run when no round succeeded, even if the reasons differ', async () => {
    const config = fakeConfig(unifl);
    const failing = new FakeTrainer({ labels: config.dataset.store.labels, numClasses: 3, failSeeds: ['/train/'] });
    const error = (await rejection(runSimulation(config, failing))) as TrainingFailedError;
    expect(error).toBeInstanceOf(TrainingFailedError);
    expect(error.failure).toMatchObject({ kind: 'no-round-succeeded', method: 'unifl', round: 0 });
    expect(error.failure.reason).toMatch(/^training failed: fake failure for task/);
    expect(error.message).toMatch(/^run cannot train: no round of the run succeeded \(2 of 2 failed\), method unifl, seed 7; most common reason: training failed: fake failure/);
    expect(error.result.rounds).toHaveLength(2);
  });

  it('fails when one phase never succeeds although the other did', async () => {
    const base = fakeConfig(modalityMirror as unknown as Strategy<PhaseState>);
    const config = { ...base, settings: { ...base.settings, rounds: [1, 2], params: { ...modalityMirror.defaults } } };
    // Each distillation task fails with its own reason: not the same-reason rule, but the phase never trains.
    let n = 0;
    class EachItsOwnReason extends FaultInjectingTrainer {
      override train(task: TrainTask) {
        return task.kind === 'distill' ? Promise.reject(new Error(`flaky ${n++}`)) : super.train(task);
      }
    }
    const trainer = new EachItsOwnReason(fake(config), { when: () => false });
    const error = (await rejection(runSimulation(config, trainer))) as TrainingFailedError;
    expect(error).toBeInstanceOf(TrainingFailedError);
    expect(error.failure).toMatchObject({ kind: 'no-round-succeeded', phase: 'distillation', round: 1 });
    expect(error.message).toMatch(/no round of phase distillation succeeded \(2 of 2 failed\)/);
  });

  it('keeps isolated failures as data: one crashed task among several, a round short of replies', async () => {
    const config = fakeConfig(unifl, { rules: { ...fakeConfig(unifl).rules, clientsPerRound: 3 } });
    const trainer = new FaultInjectingTrainer(fake(config), { reason: KERNEL, when: (task) => task.seed.includes('/train/1/') });
    const result = await runSimulation(config, trainer);
    expect(result.complete).toBe(true);
    expect(result.failure).toBeNull();
    const failedClients = result.rounds.flatMap((r) => r.failed.map((o) => o.clientId));
    expect(new Set(failedClients)).toEqual(new Set(['1']));
    expect(result.rounds.every((r) => r.status === 'ok')).toBe(true);
    // A single selected task failing is isolated too (it stops nothing), while other rounds succeed.
    const one = fakeConfig(unifl, { rules: { ...fakeConfig(unifl).rules, clientsPerRound: 0.25 }, settings: { ...fakeConfig(unifl).settings, rounds: [4] } });
    const firstRoundOnly = new FaultInjectingTrainer(fake(one), { reason: KERNEL, when: (task) => /\/train\/\d+\/0\//.test(task.seed) });
    const mixed = await runSimulation(one, firstRoundOnly);
    expect(mixed.rounds.map((r) => r.status)).toEqual(['failed', 'ok', 'ok', 'ok']);
    expect(mixed.complete).toBe(true);
  });

  it("returns the failure as data with onUntrained: 'return', and runInMemory does so by default", async () => {
    const config = fakeConfig(unifl);
    const result = await runSimulation(config, new FaultInjectingTrainer(fake(config), { reason: KERNEL }), { onUntrained: 'return' });
    expect(result.complete).toBe(false);
    expect(result.failure?.kind).toBe('same-reason');
    const scenario = kitScenario();
    const probe = await runInMemory(scenario);
    expect(probe.result.complete).toBe(true);
    const labels = probe.config.dataset.store.labels;
    const failing = () => new FaultInjectingTrainer(new FakeTrainer({ labels, numClasses: 3 }), { reason: KERNEL });
    const kit = await runInMemory(scenario, { trainer: failing() });
    expect(kit.result.failure?.message).toContain(KERNEL);
    expect(kit.trace.ofType('train/failed').count()).toBe(4);
    await expect(runInMemory(scenario, { trainer: failing(), onUntrained: 'throw' })).rejects.toThrow(TrainingFailedError);
  });

  it('stops a grid at the cell that cannot train instead of averaging it, naming the cell', async () => {
    const scenario = validateScenario(kitScenario({ algorithm: { name: 'unifl', rounds: 2 } }), 'kit');
    const dataset = loadScenarioData(scenario, 'kit');
    const inner = new FakeTrainer({ labels: dataset.store.labels, numClasses: 3 });
    // Seed 2's cells fail: the grid runs seed 1 (both methods), then stops at its first seed-2 cell.
    const trainer = new FaultInjectingTrainer(inner, { reason: KERNEL, when: (task) => task.seed.startsWith('2/') });
    const error = (await rejection(runGrid(scenario, dataset, trainer, { methods: ['unifl', 'multifl'], missingRates: [0.5], seeds: [1, 2] }, 'kit'))) as GridCellFailedError;
    expect(error).toBeInstanceOf(GridCellFailedError);
    expect(error.cell).toMatchObject({ method: 'unifl', missingRate: 0.5, seed: 2, index: 3, total: 4 });
    expect(error.completed.map((r) => [r.method, r.seed])).toEqual([['unifl', 1], ['multifl', 1]]);
    expect(error.message).toMatch(/^grid cell 3\/4 \(method unifl, missing 0.5, seed 2\): run cannot train: all 4 training tasks of round 0/);
  });
});
