/** A tiny hand-made dataset for protocol tests: `clients` clients with `perClient` samples each. */
import { allocateStore } from '../../src/data/shared-store.js';
import type { LoadedDataset } from '../../src/data/types.js';

export function tinyDataset(clients = 4, perClient = 5, withoutVideo: string[] = []): LoadedDataset {
  const numSamples = clients * perClient + 6;
  const store = allocateStore({ name: 'tiny', numSamples, numClasses: 3, audio: { frames: 2, dims: 2 }, video: { frames: 2, dims: 2 } });
  for (let i = 0; i < numSamples; i++) store.labels[i] = i % 3;
  const ids = Array.from({ length: clients }, (_, c) => String(c)).sort();
  return {
    store,
    source: 'tiny',
    split: {
      clients: ids.map((id) => ({ id, train: Array.from({ length: perClient }, (_, k) => Number(id) * perClient + k), hasAudio: true, hasVideo: !withoutVideo.includes(id) })),
      dev: [numSamples - 6, numSamples - 5, numSamples - 4],
      test: [numSamples - 3, numSamples - 2, numSamples - 1],
    },
  };
}
