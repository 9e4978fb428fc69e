/**
 * The server's view of who may be sampled, without a state object per client: the population's
 * rows (starting modalities and sample counts) plus the modality changes clients have announced,
 * kept in an EligibleIndex so a round counts and samples its eligible clients in O(k log n).
 * A strategy's `eligible` is asked once per modality class (it depends only on the phase state and
 * the client's modalities), never once per client.
 */
import type { RandomStream } from '../src/core/seed-streams.js';
import type { ClientStatus } from '../src/protocol/messages.js';
import { HAS_AUDIO, HAS_VIDEO, type ClientRows } from '../src/data/client-rows.js';
import { EligibleIndex, MODALITY_CLASSES, modalityClass } from '../src/sim/eligible-index.js';
import { sampleRanks } from '../src/sim/sample-ranks.js';
import type { ClientView, PhaseState, Strategy } from '../src/strategies/strategy.js';

/** Modalities a client announced after the start (scenario events), by client id: plain data. */
export type ModalityChanges = Record<string, { hasAudio: boolean; hasVideo: boolean }>;

/** The eligible clients of a population with its announced changes. */
export class EligibleClients {
  private readonly index: EligibleIndex;

  /** Builds the index over `rows` with `changes` applied (O(n + changes)). */
  constructor(private readonly rows: ClientRows, private readonly changes: ModalityChanges) {
    this.index = new EligibleIndex(rows.size, (r) => modalityClass((rows.modal[r] & HAS_AUDIO) !== 0, (rows.modal[r] & HAS_VIDEO) !== 0, rows.numSamples[r]));
    for (const id of Object.keys(changes)) this.update(id, changes[id]);
  }

  /** Whether this index reflects exactly `changes` (the same object it was built or updated with). */
  reflects(changes: ModalityChanges): boolean {
    return changes === this.changes;
  }

  /** Records a client's announced modalities in the changes and the index. */
  announce(id: string, patch: Partial<{ hasAudio: boolean; hasVideo: boolean }>): void {
    const rank = this.rankOf(id);
    const now = this.changes[id] ?? { hasAudio: (this.rows.modal[rank] & HAS_AUDIO) !== 0, hasVideo: (this.rows.modal[rank] & HAS_VIDEO) !== 0 };
    // Changed in place: the server never keeps an earlier state, and copying the whole record on
    // every announcement would make a timeline of m changes cost O(m²).
    this.changes[id] = { ...now, ...patch };
    this.update(id, this.changes[id]);
  }

  /** Records a `client/status` message (a modality lost or restored), as every driver does. */
  announceStatus(msg: ClientStatus): void {
    this.announce(msg.clientId, msg.modality === 'audio' ? { hasAudio: msg.available } : { hasVideo: msg.available });
  }

  /** What the server knows of the client at `rank`. */
  view(rank: number): ClientView {
    const id = this.rows.idAt(rank);
    const changed = this.changes[id];
    const modal = this.rows.modal[rank];
    return { id, numSamples: this.rows.numSamples[rank], hasAudio: changed ? changed.hasAudio : (modal & HAS_AUDIO) !== 0, hasVideo: changed ? changed.hasVideo : (modal & HAS_VIDEO) !== 0 };
  }

  /** The modality classes the strategy accepts in its current state. */
  classesFor(strategy: Strategy<PhaseState>, state: PhaseState): number[] {
    const classes: number[] = [];
    for (let c = 0; c < MODALITY_CLASSES; c++) {
      if (strategy.eligible(state, { id: '', numSamples: 1, hasAudio: (c & 1) !== 0, hasVideo: (c & 2) !== 0 })) classes.push(c);
    }
    return classes;
  }

  /** Number of eligible clients in `classes`. */
  count(classes: readonly number[]): number {
    return this.index.count(classes);
  }

  /** `k` eligible clients of `classes`, drawn from `stream` by the rule of sample-ranks.ts, in id order. */
  sample(stream: RandomStream, classes: readonly number[], k: number): ClientView[] {
    return sampleRanks(stream, this.count(classes), k).map((r) => this.view(this.index.select(classes, r)));
  }

  private rankOf(id: string): number {
    const rank = this.rows.rankOf(id);
    if (rank < 0) throw new Error(`client "${id}" is not in the population`);
    return rank;
  }

  private update(id: string, now: { hasAudio: boolean; hasVideo: boolean }): void {
    const rank = this.rankOf(id);
    this.index.setClass(rank, modalityClass(now.hasAudio, now.hasVideo, this.rows.numSamples[rank]));
  }
}

/**
 * The eligible clients of `rows` for a driver's state, derived from (rows, state.changes) and never
 * kept in run state: rebuilt when the state's changes are another object (a fresh run, a restored
 * checkpoint), else the same index, which `announce` updates in place.
 */
export function eligibleClientsOf(rows: ClientRows): (changes: ModalityChanges) => EligibleClients {
  let cached: EligibleClients | null = null;
  return (changes) => {
    if (!cached || !cached.reflects(changes)) cached = new EligibleClients(rows, changes);
    return cached;
  };
}
