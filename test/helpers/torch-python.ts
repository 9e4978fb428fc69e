/**
 * Finds a Python with PyTorch for the optional checks: Debian's /usr/bin/python3 first (a pyenv
 * python3 earlier on PATH usually lacks Debian's python3-torch), then python3 on PATH.
 */
import { spawnSync } from 'node:child_process';

/** The python command that imports torch, or null (tests then skip with a visible message). */
export function pythonWithTorch(): string | null {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
    if (probe.status === 0) return python;
  }
  return null;
}

/** What a skipped torch check prints. */
export const NO_TORCH = 'PyTorch not found: skipping the live PyTorch check (install it with `apt-get install -y python3-torch`); the committed goldens are still checked.';
