/**
 * The layering is enforced, not hoped for: dependency-cruiser with the project's config passes on
 * the repository, and fails on a tree with one planted upward import, naming the rule it breaks.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const depcruise = join(root, 'node_modules/.bin/depcruise');
const config = join(root, '.dependency-cruiser.cjs');

describe('layering (dependency-cruiser)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'mm-layering-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('the repository keeps every layer rule', () => {
    const out = execFileSync(depcruise, ['src', 'actors', 'scenarios', '--config', config], { cwd: root, encoding: 'utf8' });
    expect(out).toMatch(/no dependency violations found/);
  });

  /** Lays out a two-file tree in the scratch folder and runs the checker there. */
  const check = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(scratch, 'tree-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    for (const folder of ['src', 'actors']) mkdirSync(join(dir, folder), { recursive: true });
    copyFileSync(join(root, 'tsconfig.json'), join(dir, 'tsconfig.json'));
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    return spawnSync(depcruise, ['src', 'actors', '--config', config], { cwd: dir, encoding: 'utf8' });
  };

  it('fails on a planted upward import (core → engine), naming the rule and the files', () => {
    const run = check({
      'src/engine/run.ts': 'export const run = 1;\n',
      'src/core/seed.ts': "import { run } from '../engine/run.js';\nexport const seed = run;\n",
    });
    expect(run.status).not.toBe(0);
    expect(run.stdout).toMatch(/layer:src\/core: src\/core\/seed\.ts → src\/engine\/run\.ts/);
  });

  it('lets the composition root build the queue trainer, but not the queue reach back into the engine', () => {
    const run = check({
      'src/queue/trainer.ts': "import { root } from '../engine/root.js';\nexport const trainer = root;\n",
      'src/engine/root.ts': 'export const root = 1;\n',
      'src/engine/build.ts': "import { trainer } from '../queue/trainer.js';\nexport const build = trainer;\n",
    });
    expect(run.status).not.toBe(0);
    expect(run.stdout).toMatch(/layer:src\/queue: src\/queue\/trainer\.ts → src\/engine\/root\.ts/);
    expect(run.stdout).not.toMatch(/layer:src\/engine:/);
  });

  it('fails on a runtime cycle and on tfjs imported outside model/train', () => {
    const run = check({
      'src/sim/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'src/sim/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
      'actors/uses-tf.ts': "import * as tf from '@tensorflow/tfjs';\nexport const t = tf;\n",
      'src/strategies/loss.ts': "import * as tf from '@tensorflow/tfjs';\nexport const t = tf;\n",
    });
    expect(run.status).not.toBe(0);
    expect(run.stdout).toMatch(/no-circular: src\/sim\/a\.ts/);
    expect(run.stdout).toMatch(/tfjs-only-in-model-and-train: actors\/uses-tf\.ts/);
    expect(run.stdout).toMatch(/tfjs-only-in-model-and-train: src\/strategies\/loss\.ts/);
  });

  it('fails on tfjs imported as a value anywhere but src/model/tfjs.ts, and on tfjs.ts reached from outside model/train', () => {
    const run = check({
      'src/model/tfjs.ts': "import type * as Tfjs from '@tensorflow/tfjs';\nexport type T = Tfjs.Tensor;\nexport const tf = 1;\n",
      'src/train/uses-tf.ts': "import * as tf from '@tensorflow/tfjs';\nexport const t = tf;\n",
      'src/train/types-only.ts': "import type * as tf from '@tensorflow/tfjs';\nexport type T = tf.Tensor;\n",
      'src/metrics/via-model.ts': "import { tf } from '../model/tfjs.js';\nexport const t = tf;\n",
    });
    expect(run.status).not.toBe(0);
    expect(run.stdout).toMatch(/tfjs-through-model-tfjs: src\/train\/uses-tf\.ts/);
    expect(run.stdout).toMatch(/tfjs-only-in-model-and-train: src\/metrics\/via-model\.ts → src\/model\/tfjs\.ts/);
    expect(run.stdout).not.toMatch(/types-only|tfjs-through-model-tfjs: src\/model\/tfjs\.ts/);
  });

  it('passes a tree whose imports point down', () => {
    const run = check({
      'src/core/seed.ts': 'export const seed = 1;\n',
      'src/engine/run.ts': "import { seed } from '../core/seed.js';\nexport const run = seed;\n",
    });
    expect(run.stdout).toMatch(/no dependency violations found/);
    expect(run.status).toBe(0);
  });
});
