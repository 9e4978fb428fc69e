/**
 * The population as compact rows: one entry per client in rank order (ids in string order), with
 * its sample count and starting modalities in typed arrays. Everything the engine needs to know
 * about a client it has not contacted lives here, so no actor or state object exists for it; a
 * client's actor is created from its row on first contact (see actors/client-actors.ts).
 */
import type { ClientData, LoadedDataset } from './types.js';

/** Bit of `ClientRows.modal`: the client starts with audio. */
export const HAS_AUDIO = 1;
/** Bit of `ClientRows.modal`: the client starts with video. */
export const HAS_VIDEO = 2;

/** The population's rows, by rank. */
export interface ClientRows {
  /** Number of clients. */
  readonly size: number;
  /** Client id at a rank (ranks follow string order of ids). */
  idAt(rank: number): string;
  /** Rank of a client id, or -1 when it is not in the population (O(log n)). */
  rankOf(id: string): number;
  /** Training samples per client. */
  readonly numSamples: Int32Array;
  /** Starting modalities per client (HAS_AUDIO | HAS_VIDEO). */
  readonly modal: Uint8Array;
  /** Training sample indices of the client at a rank. */
  sampleIndicesAt(rank: number): number[];
}

/** Rows over a split's clients (sorted by id here if the split is not already). */
export function clientRows(clients: readonly ClientData[]): ClientRows {
  let sorted = true;
  for (let i = 1; i < clients.length && sorted; i++) sorted = clients[i - 1].id < clients[i].id;
  const byRank = sorted ? clients : [...clients].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (let i = 1; i < byRank.length; i++) {
    if (byRank[i - 1].id === byRank[i].id) throw new Error(`client id "${byRank[i].id}" appears twice in the population`);
  }
  const numSamples = new Int32Array(byRank.length);
  const modal = new Uint8Array(byRank.length);
  byRank.forEach((c, r) => {
    numSamples[r] = c.train.length;
    modal[r] = (c.hasAudio ? HAS_AUDIO : 0) | (c.hasVideo ? HAS_VIDEO : 0);
  });
  const rankOf = (id: string): number => {
    let lo = 0;
    let hi = byRank.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = byRank[mid].id;
      if (at === id) return mid;
      if (at < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };
  return { size: byRank.length, idAt: (r) => byRank[r].id, rankOf, numSamples, modal, sampleIndicesAt: (r) => byRank[r].train };
}

/** The dataset's population as rows: its declared population, or rows over its split's clients. */
export function populationOf(dataset: LoadedDataset): ClientRows {
  return dataset.population ?? clientRows(dataset.split.clients);
}

/** Every client id of the rows, in rank order (O(n): for timeline resolution, not per round). */
export function idsOf(rows: ClientRows): string[] {
  return Array.from({ length: rows.size }, (_, r) => rows.idAt(r));
}

/** Clients, clients with video and training samples of the rows (for summaries). */
export function populationCounts(rows: ClientRows): { clients: number; clientsWithVideo: number; trainSamples: number } {
  let clientsWithVideo = 0;
  let trainSamples = 0;
  for (let r = 0; r < rows.size; r++) {
    if (rows.modal[r] & HAS_VIDEO) clientsWithVideo++;
    trainSamples += rows.numSamples[r];
  }
  return { clients: rows.size, clientsWithVideo, trainSamples };
}
