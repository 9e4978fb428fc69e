/**
 * The package versions a task result depends on: this engine's and tfjs's (core plus the package of
 * the backend that computed). A worker sends them with each result; the coordinator refuses a
 * result computed with other versions than its own (other bits), rather than mixing it in.
 */
import { packageVersion } from '../core/package-version.js';
import { createRequire } from 'node:module';
import type { BackendName } from '../model/backend.js';

/** Package name → version (or `absent`). */
export type PackageVersions = Record<string, string>;

const BACKEND_PACKAGE: Record<BackendName, string> = {
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

/** Version of an installed package, read from its package.json (`absent` when it is not installed). */
function installedVersion(name: string): string {
  try {
    const require = createRequire(import.meta.url);
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'absent';
  }
}


/** The versions that decide the bits of a result computed on `backend`. */
export function packageVersions(backend: BackendName): PackageVersions {
  return {
    'modality-mirror': packageVersion(),
    '@tensorflow/tfjs-core': installedVersion('@tensorflow/tfjs-core'),
    [BACKEND_PACKAGE[backend]]: installedVersion(BACKEND_PACKAGE[backend]),
  };
}

/** Differences between two version sets, as `name a ≠ b` (empty when they agree). */
export function versionDifferences(mine: PackageVersions, theirs: PackageVersions): string[] {
  const names = [...new Set([...Object.keys(mine), ...Object.keys(theirs)])].sort();
  return names.filter((n) => mine[n] !== theirs[n]).map((n) => `${n} ${theirs[n] ?? 'absent'} ≠ ${mine[n] ?? 'absent'}`);
}
