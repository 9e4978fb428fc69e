/** Checkpoint helpers for resume tests: an in-memory sink and what a resumed run must reproduce. */
import { roundTripState } from '../../src/engine/checkpoint-store.js';
import type { RunResult } from '../../src/engine/run-simulation.js';
import type { CheckpointSink, RunCheckpoint } from '../../src/engine/run-state.js';
import type { TraceRecord } from '../../src/sim/trace.js';
import { simplifyRecord } from '../../src/testing/trace-query.js';

/** A sink that keeps every checkpoint as a resume would read it (state encoded and decoded, trace so far). */
export function memorySink(every = 1): CheckpointSink & { saved: RunCheckpoint[] } {
  const trace: TraceRecord[] = [];
  const saved: RunCheckpoint[] = [];
  return {
    every,
    saved,
    save(state, records) {
      trace.push(...records);
      saved.push({ state: roundTripState(state), trace: structuredClone(trace) });
    },
  };
}

/** What must be equal between an interrupted-and-resumed run and an uninterrupted one. */
export const resumeFacts = (r: RunResult) => ({ traceHash: r.traceHash, weightsHash: r.weightsHash, events: r.events, rounds: r.rounds, evals: r.evals, final: r.final, lines: r.trace.map(simplifyRecord) });
