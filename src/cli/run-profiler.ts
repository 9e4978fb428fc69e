/**
 * `modality-mirror run --profile`: where a run's wall time goes, written to `<out>/profile.json`.
 * Measures from outside the engine, so a profiled run computes exactly what an unprofiled one does
 * (same hashes): the trainer and the strategy's `aggregate` are wrapped, the checkpoint sink is
 * timed, the main thread's event-loop utilisation is read, and every worker posts each task's
 * compute time (src/train/task-timing.ts). Wall-clock time is read here (src/cli) only.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { WeightMap } from '../core/weights.js';
import type { RunConfig } from '../engine/run-config.js';
import type { CheckpointSink } from '../engine/run-state.js';
import type { Strategy } from '../strategies/strategy.js';
import { listenTaskTimings, type TaskTiming } from '../train/task-timing.js';
import type { ModelKind } from '../model/model-config.js';
import type { EvalResult, EvalTask, Trainer, TrainResult, TrainTask } from '../protocol/trainer.js';

/** Count and summed milliseconds of one kind of work. */
export interface TimeTally {
  count: number;
  ms: number;
}

/** What profile.json holds (all times in ms, wall clock). */
export interface RunProfile {
  /** What was profiled: one run (`run --profile`) or a whole grid on one pool (`compare`/`sweep --profile`). */
  scope: 'run' | 'grid';
  /** Worker threads of the pool (0 = the main thread trains). */
  workers: number;
  /** From the first event to the last (runSimulation; a grid: its first cell's start to its last cell's end), excluding start-up and writing the folder. */
  wallMs: number;
  /** CPU time of the whole process (every thread: main and workers) over the same span. */
  cpuMs: number;
  /** Compute time of worker tasks by kind, measured on the thread that ran them. */
  workersBusy: {
    trainMs: number;
    evaluateMs: number;
    initMs: number;
    /** Per task label (`train:audio`, `train:av[fusion]`, `distill`, `evaluate:audio`, …). */
    byLabel: Record<string, TimeTally>;
    /** workers × wallMs minus every task's compute time (waiting for work, or moving messages). */
    idleMs: number;
    /** Busy share of workers × wallMs. */
    busyFraction: number;
  };
  /** The main thread (event loop): scheduler, actors, trace, aggregation, task dispatch, checkpoints. */
  mainThread: {
    /** Event-loop active time (not waiting). */
    activeMs: number;
    /** Waiting: for workers, or for I/O. */
    idleMs: number;
    /** Inside the strategy's aggregate (averaging, server step). */
    aggregationMs: number;
    aggregations: number;
    /** Synchronous part of handing a task to the trainer (copying weights out, posting). */
    dispatchMs: number;
    /** Awaited checkpoint saves (encoding and writing run state and trace). */
    checkpointMs: number;
    checkpoints: number;
    /** activeMs minus the parts above: scheduler, actors, trace hashing, scoring. */
    schedulerTraceMs: number;
  };
  tasks: { train: number; evaluate: number };
  /**
   * Each task as it ran, in ms since the run started: the worker thread, the label, start and end.
   * The first {@link TIMELINE_LIMIT} tasks only; `timelineTruncated` says when more ran.
   */
  timeline: Array<{ thread: number; label: string; startMs: number; endMs: number }>;
  timelineTruncated: boolean;
}

/** At most this many tasks in a profile's timeline (a large run keeps its profile small). */
export const TIMELINE_LIMIT = 20_000;

/** A trainer that counts its calls and times their synchronous part; results pass through untouched. */
class ProfilingTrainer implements Trainer {
  dispatchMs = 0;
  completed = 0;
  trainCalls = 0;
  evaluateCalls = 0;

  constructor(readonly inner: Trainer) {}

  get backend(): string {
    return this.inner.backend;
  }

  private timed<T>(call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const promise = call();
    this.dispatchMs += performance.now() - started;
    return promise.finally(() => {
      this.completed++;
    });
  }

  initWeights(models: ModelKind[], seed: string): Promise<WeightMap> {
    return this.timed(() => this.inner.initWeights(models, seed));
  }

  train(task: TrainTask): Promise<TrainResult> {
    this.trainCalls++;
    return this.timed(() => this.inner.train(task));
  }

  evaluate(task: EvalTask): Promise<EvalResult> {
    this.evaluateCalls++;
    return this.timed(() => this.inner.evaluate(task));
  }

  /** Forwards an interrupted run's abort (PoolTrainer has one). */
  async abort(): Promise<void> {
    await (this.inner as { abort?: () => Promise<void> }).abort?.();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

const round3 = (ms: number) => Math.round(ms * 1000) / 1000;

/** Collects one run's profile. */
export class RunProfiler {
  private readonly timings: TaskTiming[] = [];
  private stopListening: (() => void) | null = null;
  private trainer: ProfilingTrainer | null = null;
  private aggregationMs = 0;
  private aggregations = 0;
  private checkpointMs = 0;
  private checkpoints = 0;
  private startedAt = 0;
  private elu: EventLoopUtilization | null = null;
  private cpu: NodeJS.CpuUsage | null = null;
  private result: { wallMs: number; cpuMs: number; elu: EventLoopUtilization } | null = null;

  constructor(
    private readonly workers: number,
    private readonly scope: RunProfile['scope'] = 'run',
  ) {}

  /** The trainer to run with: `trainer`, counted and timed. */
  wrapTrainer(trainer: Trainer): Trainer {
    this.trainer = new ProfilingTrainer(trainer);
    return this.trainer;
  }

  /** The config to run with: the same, its strategy's aggregate timed. */
  wrapConfig(config: RunConfig): RunConfig {
    const strategy = config.strategy as Strategy;
    const aggregate: Strategy['aggregate'] = (state, replies, round, settings) => {
      const started = performance.now();
      try {
        return strategy.aggregate(state, replies, round, settings);
      } finally {
        this.aggregationMs += performance.now() - started;
        this.aggregations++;
      }
    };
    return { ...config, strategy: { ...strategy, aggregate } as typeof config.strategy };
  }

  /** The sink to run with: `sink`, each save timed. */
  wrapSink(sink: CheckpointSink | undefined): CheckpointSink | undefined {
    if (sink === undefined) return undefined;
    return {
      every: sink.every,
      save: async (state, records) => {
        const started = performance.now();
        try {
          await sink.save(state, records);
        } finally {
          this.checkpointMs += performance.now() - started;
          this.checkpoints++;
        }
      },
    };
  }

  /** Call right before the run starts. */
  start(): void {
    this.stopListening = listenTaskTimings((timing) => this.timings.push(timing));
    this.startedAt = performance.now();
    this.cpu = process.cpuUsage();
    this.elu = performance.eventLoopUtilization();
  }

  /** Call right after the run ends. */
  stop(): void {
    if (this.elu === null || this.cpu === null) throw new Error('RunProfiler.stop before start');
    const cpu = process.cpuUsage(this.cpu);
    this.result = { wallMs: performance.now() - this.startedAt, cpuMs: (cpu.user + cpu.system) / 1000, elu: performance.eventLoopUtilization(this.elu) };
  }

  /**
   * The profile, once every finished task's timing has arrived (they travel on their own channel;
   * waits at most `waitMs` for stragglers).
   */
  async report(waitMs = 2000): Promise<RunProfile> {
    if (this.result === null || this.trainer === null) throw new Error('RunProfiler.report before the run was started and stopped');
    const deadline = performance.now() + waitMs;
    while (this.timings.length < this.trainer.completed && performance.now() < deadline) await new Promise((done) => setTimeout(done, 5));
    this.stopListening?.();
    const byLabel: Record<string, TimeTally> = {};
    for (const { label, ms } of this.timings) {
      byLabel[label] ??= { count: 0, ms: 0 };
      byLabel[label].count++;
      byLabel[label].ms += ms;
    }
    const sum = (op: TaskTiming['op']) => this.timings.reduce((total, t) => (t.op === op ? total + t.ms : total), 0);
    const trainMs = sum('train');
    const evaluateMs = sum('evaluate');
    const initMs = sum('init');
    const { wallMs, cpuMs, elu } = this.result;
    const capacity = Math.max(1, this.workers) * wallMs;
    const busy = trainMs + evaluateMs + initMs;
    const dispatchMs = this.trainer.dispatchMs;
    return {
      scope: this.scope,
      workers: this.workers,
      wallMs,
      cpuMs,
      workersBusy: { trainMs, evaluateMs, initMs, byLabel, idleMs: capacity - busy, busyFraction: busy / capacity },
      mainThread: {
        activeMs: elu.active,
        idleMs: elu.idle,
        aggregationMs: this.aggregationMs,
        aggregations: this.aggregations,
        dispatchMs,
        checkpointMs: this.checkpointMs,
        checkpoints: this.checkpoints,
        schedulerTraceMs: Math.max(0, elu.active - this.aggregationMs - dispatchMs - this.checkpointMs),
      },
      tasks: { train: this.trainer.trainCalls, evaluate: this.trainer.evaluateCalls },
      timeline: this.timings.slice(0, TIMELINE_LIMIT).map(({ thread, label, ms, endedAt }) => {
        const endMs = endedAt - (performance.timeOrigin + this.startedAt);
        return { thread, label, startMs: round3(endMs - ms), endMs: round3(endMs) };
      }),
      timelineTruncated: this.timings.length > TIMELINE_LIMIT,
    };
  }
}
