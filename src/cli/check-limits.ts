/**
 * Limits on what the command line asks of this machine, checked before anything is loaded: at most
 * 4 × cores training workers (more only thrash the CPU and memory) unless `--force`.
 */
import { availableParallelism } from 'node:os';
import { ConfigError } from '../core/errors.js';

/** Most `--workers` allowed without `--force`: 4 × the cores this process may use. */
export function workerCap(cores = availableParallelism()): number {
  return 4 * Math.max(1, cores);
}

/** Refuses `--workers` above the cap unless `--force` (flags of any command; others are ignored). */
export function checkFlagLimits(flags: { workers?: unknown; force?: boolean }, cores = availableParallelism()): void {
  if (typeof flags.workers !== 'number' || flags.force === true) return;
  const cap = workerCap(cores);
  if (flags.workers > cap) {
    throw new ConfigError('command line', '--workers', flags.workers, `an integer from 0 to ${cap} (4 × ${cores} cores); pass --force to use more`);
  }
}
