import { describe, expect, it } from 'vitest';
import { runSimulation } from '../../src/engine/run-simulation.js';
import { FakeTrainer } from '../../src/train/fake-trainer.js';
import { STRATEGIES } from '../../src/strategies/registry.js';
import { fakeConfig } from '../helpers/fake-config.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

describe('two-phase strategies on the virtual clock (fake trainer)', () => {
  const dataset = tinyDataset(6, 4, ['1', '3', '5']);
  const base = (name: string) => {
    const config = fakeConfig(STRATEGIES[name], { dataset, rules: { clientsPerRound: 1, fractionOf: 'population', overSelection: 1, deadlineMs: null, minReplies: 1 } });
    const rounds = STRATEGIES[name].phases.length === 2 ? [2, 2] : [4];
    return { ...config, settings: { ...config.settings, rounds } };
  };

  it('ModalityMirror distils only on audio-visual clients in phase 2 and reports the student from phase 2', async () => {
    const config = base('modality-mirror');
    const trainer = new FakeTrainer({ labels: dataset.store.labels, numClasses: 3 });
    const result = await runSimulation(config, trainer);
    expect(result.rounds.map((r) => r.phase)).toEqual(['modality-wise', 'modality-wise', 'distillation', 'distillation']);
    const phase2 = result.rounds.filter((r) => r.phase === 'distillation').flatMap((r) => r.selected);
    expect(phase2.every((id) => ['0', '2', '4'].includes(id))).toBe(true);
    expect(trainer.trained.filter((t) => t.kind === 'distill')).toHaveLength(phase2.length);
    expect(result.headline?.phase).toBe('distillation');
  });

  it('modality-wise phase: a client without video trains only the audio model', async () => {
    const config = base('harmony');
    const trainer = new FakeTrainer({ labels: dataset.store.labels, numClasses: 3 });
    await runSimulation(config, trainer);
    const byClient = (id: string) => trainer.trained.filter((t) => t.seed.split('/')[2] === id && t.seed.split('/')[3] === '0');
    for (const id of ['1', '3', '5']) for (const task of byClient(id)) expect(task.kind === 'supervised' && task.model).toBe('audio');
  });

  it('every method runs to the end with accounting that adds up', async () => {
    for (const name of Object.keys(STRATEGIES)) {
      const result = await runSimulation(base(name), new FakeTrainer({ labels: dataset.store.labels, numClasses: 3 }));
      expect(result.rounds).toHaveLength(4);
      expect(result.rounds.every((r) => r.status === 'ok')).toBe(true);
      expect(result.headline).not.toBeNull();
    }
  });
});
