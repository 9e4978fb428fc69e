/**
 * The committed parity goldens are what scripts/parity/make_parity_golden.py writes: where PyTorch
 * is installed, the script runs into a temporary folder and every number must match the committed
 * files (to float32 round-off between PyTorch builds). Without PyTorch this is skipped with a
 * message; test/model/torch-parity.test.ts still checks the engine against the committed files.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decode, loadGolden, type Golden } from '../helpers/parity-golden.js';
import { NO_TORCH, pythonWithTorch } from '../helpers/torch-python.js';

const python = pythonWithTorch();
if (python === null) console.warn(NO_TORCH);

/** Every float of a golden, in a fixed order. */
function numbers(golden: Golden): number[] {
  const out: number[] = [golden.loss0, ...golden.losses, ...golden.dropout.meanLoss, ...golden.dropout.distance];
  const walk = (value: unknown): void => {
    if (value === null || typeof value !== 'object') return;
    if ('f32' in (value as object)) {
      out.push(...decode(value as { shape: number[]; f32: string }).data);
      return;
    }
    for (const key of Object.keys(value as object).sort()) walk((value as Record<string, unknown>)[key]);
  };
  walk({ init: golden.init, logits0: golden.logits0, grads0: golden.grads0, afterStep: golden.afterStep, samples: golden.samples });
  return out;
}

describe.skipIf(python === null)('parity goldens', () => {
  it('are reproduced by the script with the installed PyTorch', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'parity-'));
    const run = spawnSync(python!, ['scripts/parity/make_parity_golden.py', out], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    for (const kind of ['audio', 'video', 'av'] as const) {
      const fresh = JSON.parse(readFileSync(path.join(out, `${kind}.json`), 'utf8')) as Golden;
      const committed = loadGolden(kind);
      expect(fresh.batches).toEqual(committed.batches);
      const a = numbers(fresh);
      const b = numbers(committed);
      expect(a.length).toBe(b.length);
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `${kind} value ${i}`).toBeLessThan(1e-5 + 1e-4 * Math.abs(b[i]));
    }
  }, 120_000);
});
