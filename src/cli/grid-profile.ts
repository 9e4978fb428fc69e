/**
 * `compare --profile` / `sweep --profile`: where a grid's wall time went, written to
 * `<out>/profile.json` in the shape of a run's profile (run-profiler.ts) with `scope: 'grid'`. The
 * one pool is profiled across every computed cell (cells reused from `<out>/cells` cost nothing),
 * so the busy share shows what `--concurrency` buys: cells that run at once fill each other's
 * round-end gaps. Aggregation and checkpoints are not timed apart in a grid (they are part of
 * `schedulerTraceMs`). Never changes a result: the trainer is wrapped from outside.
 */
import { join } from 'node:path';
import { writeAtomic } from '../engine/atomic-write.js';
import type { Trainer } from '../protocol/trainer.js';
import { RunProfiler } from './run-profiler.js';

/** Profiles one grid's pool from `start()` to `finish()`. */
export class GridProfiler {
  private readonly profiler: RunProfiler;

  constructor(workers: number) {
    this.profiler = new RunProfiler(workers, 'grid');
  }

  /** The trainer the grid runs with: `trainer`, counted and timed. */
  wrap(trainer: Trainer): Trainer {
    return this.profiler.wrapTrainer(trainer);
  }

  /** Call right before the grid's first cell starts. */
  start(): void {
    this.profiler.start();
  }

  /** Call once the grid is done: writes `<out>/profile.json` and says where. */
  async finish(out: string): Promise<void> {
    this.profiler.stop();
    const profile = await this.profiler.report();
    const file = join(out, 'profile.json');
    writeAtomic(file, `${JSON.stringify(profile, null, 1)}\n`);
    process.stderr.write(`profile: ${file} (workers busy ${(100 * profile.workersBusy.busyFraction).toFixed(0)}% of ${(profile.wallMs / 1000).toFixed(1)} s)\n`);
  }
}
