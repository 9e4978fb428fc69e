/**
 * The missing-modality simulation file of a FedMultimodal load: which file, and its flags aligned
 * with the partition (clients only; FedMultimodal never applies the simulation to dev and test).
 */
import { isAbsolute, resolve } from 'node:path';
import { DataError } from '../../core/errors.js';
import type { FedMultimodalPaths } from './fedmultimodal-paths.js';
import type { FedMultimodalOptions } from './load-fedmultimodal.js';
import type { PartitionGroups, SimulationFlags } from './partition-file.js';

/** The simulation file the options name (missingFile, or the standard path for missingRate), or null. */
export function simulationFile(opts: FedMultimodalOptions, paths: FedMultimodalPaths): string | null {
  if (opts.missingFile !== undefined) {
    return isAbsolute(opts.missingFile) ? opts.missingFile : resolve(opts.outputDir, opts.missingFile);
  }
  return opts.missingRate !== undefined ? paths.simulation(opts.missingRate) : null;
}

/** Per client, the simulation flags aligned with the partition's items (same keys, same order). */
export function simulationByClient(simGroups: PartitionGroups, partition: PartitionGroups, clientIds: string[], file: string): Map<string, SimulationFlags[]> {
  const out = new Map<string, SimulationFlags[]>();
  for (const id of clientIds) {
    const items = simGroups.get(id);
    if (!items) throw new DataError(file, null, `group ${id}`, 'missing: the simulation file must cover every client of the partition');
    const expected = partition.get(id)!;
    if (items.length !== expected.length) throw new DataError(file, null, `group ${id}`, `holds ${items.length} items, the partition ${expected.length}`);
    items.forEach((item, i) => {
      if (item.key !== expected[i].key) throw new DataError(file, item.key, 'key', `position ${i} of client ${id} lists ${JSON.stringify(expected[i].key)} in the partition`);
    });
    out.set(id, items.map((it) => it.sim!));
  }
  return out;
}
