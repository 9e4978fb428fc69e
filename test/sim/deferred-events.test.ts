import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/protocol/messages.js';
import type { PendingWork } from '../../src/protocol/work.js';
import { heldRecords, RunCrashError, Scheduler, type Envelope, type Perform, type SchedulerState } from '../../src/sim/scheduler.js';
import { TraceRecorder, type TraceRecord } from '../../src/sim/trace.js';

// The scheduler alone, with pending work it controls: an evaluation (deferrable) at t=0 whose work
// finishes only once later events were delivered, and two plain events after it.
const evalDone = { type: 'eval/done', round: 0, phase: 'p', specs: [] } as Message;
const tick = (round: number) => ({ type: 'round/start', round }) as Message;
const evalWork: PendingWork = { kind: 'eval' };

/** A perform whose evaluation resolves only when `release()` is called. */
function gatedPerform() {
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const perform: Perform = (work) => (work.kind === 'eval' ? gate.then(() => ({ result: [] }) as Partial<Message>) : Promise.resolve({}));
  return { perform, release: () => release() };
}

function schedule(scheduler: Scheduler): void {
  scheduler.send('evaluator', 'evaluator', evalDone, 0, evalWork);
  scheduler.send('server', 'x', tick(1), 1);
  scheduler.send('server', 'x', tick(2), 2);
}

describe('deferred (evaluation) events', () => {
  it('do not hold the clock: later events are delivered first, yet the trace is the same as without deferral', async () => {
    const trace = new TraceRecorder({ retain: true });
    const { perform, release } = gatedPerform();
    const scheduler = new Scheduler(trace, perform);
    schedule(scheduler);
    const delivered: string[] = [];
    await scheduler.run(async (e) => {
      delivered.push(`${e.msg.type}@${e.atMs}`);
      // Evaluation finishes only after the last plain event: without deferral this run would never end.
      if (e.atMs === 2) release();
    });
    expect(delivered).toEqual(['round/start@1', 'round/start@2', 'eval/done@0']);
    expect(trace.records.map((r) => `${r.type}@${r.atMs}`)).toEqual(['eval/done@0', 'round/start@1', 'round/start@2']);

    const plainTrace = new TraceRecorder({ retain: true });
    const plain = new Scheduler(plainTrace, () => Promise.resolve({ result: [] } as Partial<Message>), { defer: false });
    schedule(plain);
    const order: string[] = [];
    await plain.run(async (e) => void order.push(`${e.msg.type}@${e.atMs}`));
    expect(order).toEqual(['eval/done@0', 'round/start@1', 'round/start@2']);
    expect(trace.digest()).toBe(plainTrace.digest());
  });

  it('flush() delivers one in its trace slot; a snapshot taken before carries it, and a restore delivers it there too', async () => {
    const trace = new TraceRecorder({ retain: true });
    const { perform, release } = gatedPerform();
    const scheduler = new Scheduler(trace, perform);
    schedule(scheduler);
    const seen: Array<{ deferred: boolean; records: number; queued: string }> = [];
    let snapshot: SchedulerState | null = null;
    let recordsAtSnapshot: TraceRecord[] = [];
    await scheduler.run(async (e: Envelope) => {
      if (e.atMs !== 1) return;
      snapshot = structuredClone(scheduler.snapshot());
      recordsAtSnapshot = [...trace.records];
      seen.push({ deferred: scheduler.hasDeferred('evaluator'), records: trace.size, queued: JSON.stringify(snapshot.events.map((q) => q.atMs)) });
      release();
      await scheduler.flush();
      seen.push({ deferred: scheduler.hasDeferred(), records: trace.size, queued: JSON.stringify(scheduler.snapshot().events.map((q) => q.atMs)) });
    });
    // Before the flush nothing is recorded: the evaluation (t=0) holds its slot and the t=1 record waits behind it.
    expect(seen[0]).toEqual({ deferred: true, records: 0, queued: '[2]' });
    const held = snapshot!.trailing!;
    expect(held.map((e) => ('deferred' in e ? `deferred ${e.deferred.msg.type}@${e.deferred.atMs}` : `record ${e.record.type}@${e.record.atMs}`))).toEqual(['deferred eval/done@0', 'record round/start@1']);
    expect(heldRecords(snapshot!)).toBe(1);
    // After the flush: the evaluation and the event being handled are recorded; the t=2 event is still queued.
    expect(seen[1]).toEqual({ deferred: false, records: 2, queued: '[2]' });
    expect(trace.records.map((r) => r.atMs)).toEqual([0, 1, 2]);
    expect(scheduler.snapshot().trailing).toBeUndefined();

    // Restored from the snapshot: the evaluation's work starts again and it is delivered in its slot.
    const again = gatedPerform();
    const restoredTrace = new TraceRecorder({ retain: true });
    restoredTrace.restore(recordsAtSnapshot);
    const restored = new Scheduler(restoredTrace, again.perform);
    restored.restore(snapshot!);
    expect(restored.hasDeferred('evaluator')).toBe(true);
    const delivered: string[] = [];
    await restored.run(async (e) => {
      delivered.push(`${e.msg.type}@${e.atMs}`);
      if (e.atMs === 2) again.release();
    });
    expect(delivered).toEqual(['round/start@2', 'eval/done@0']);
    expect(restoredTrace.digest()).toBe(trace.digest());
  });

  it('fail the run when their handler sends a message (it must not influence other actors)', async () => {
    const scheduler = new Scheduler(new TraceRecorder({ retain: true }), () => Promise.resolve({ result: [] } as Partial<Message>));
    scheduler.send('evaluator', 'evaluator', evalDone, 0, evalWork);
    // The handler's send throws; the scheduler turns that into a crash, as for any actor's handler.
    const run = scheduler.run(async (e) => scheduler.send(e.to, 'server', tick(9)));
    await expect(run).rejects.toThrow(RunCrashError);
    await expect(run).rejects.toThrow(/the handler of a deferrable event may not send messages .*actor="evaluator", handling="eval\/done", sending="round\/start"/);
  });

  it('crash the run at their own trace slot, as without deferral, when their handler fails', async () => {
    const crash = async (defer: boolean) => {
      const trace = new TraceRecorder({ retain: true });
      const { perform, release } = gatedPerform();
      const scheduler = new Scheduler(trace, perform, { defer });
      schedule(scheduler);
      if (!defer) release();
      const error = await scheduler
        .run(async (e) => {
          if (e.atMs === 2) release();
          if (e.msg.type === 'eval/done') throw new Error('evaluation of round 0 failed: worker died');
        })
        .then(() => null, (e: unknown) => e as RunCrashError);
      return { error, records: trace.records.map((r) => r.type) };
    };
    const deferred = await crash(true);
    const plain = await crash(false);
    expect(deferred.error).toBeInstanceOf(RunCrashError);
    expect(deferred.error!.message).toMatch(/actor "evaluator" crashed handling eval\/done: Error: evaluation of round 0 failed: worker died/);
    expect(deferred.records).toEqual(['eval/done']);
    expect(plain.records).toEqual(deferred.records);
    expect(deferred.error!.traceTail).toEqual(plain.error!.traceTail);
  });

  it('call perform.flush() before waiting on pending work, after every event ready before it was queued', async () => {
    const submitted: number[] = [];
    const flushedAt: number[] = [];
    const held: Array<() => void> = [];
    const perform: Perform = Object.assign(
      (work: PendingWork, msg: Message) => {
        submitted.push((msg as { round: number }).round);
        return new Promise<Partial<Message>>((resolve) => held.push(() => resolve({})));
      },
      {
        flush: () => {
          flushedAt.push(submitted.length);
          for (const start of held.splice(0)) start();
        },
      },
    );
    const scheduler = new Scheduler(new TraceRecorder({ retain: true }), perform);
    const work: PendingWork = { kind: 'train', plan: { weights: {}, steps: [], hyper: { epochs: 1, batchSize: 1, lr: 0, momentum: 0, weightDecay: 0, clipNorm: 0 } }, binding: { seed: 1, clientId: 'a', round: 0, sampleIndices: [], hasVideo: false, local: null } };
    // Three requests at t=0..2, each starting work that completes at t=10+.
    for (let i = 0; i < 3; i++) scheduler.send('server', 'c', tick(i), i);
    const order: string[] = [];
    await scheduler.run(async (e) => {
      order.push(`${e.msg.type}@${e.atMs}`);
      if (e.msg.type === 'round/start') scheduler.send('c', 'server', { type: 'train/done', round: (e.msg as { round: number }).round } as Message, 10, work);
    });
    // Held work would never finish without the flush: the run ending proves it came, and it came
    // only once all three requests (ready before the first completion) had submitted their work.
    expect(flushedAt[0]).toBe(3);
    expect(order).toEqual(['round/start@0', 'round/start@1', 'round/start@2', 'train/done@10', 'train/done@11', 'train/done@12']);
  });
});
