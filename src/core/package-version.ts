/** This package's own version, read from its package.json (two folders up from src/core, three from dist/src/core). */
import { readFileSync } from 'node:fs';

/** The version in modality-mirror's package.json, or 'unknown' when it cannot be found. */
export function packageVersion(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'modality-mirror' && pkg.version) return pkg.version;
    } catch {
      // not this one
    }
  }
  return 'unknown';
}
