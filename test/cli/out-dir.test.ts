import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mountOf, prepareOutDir } from '../../src/cli/check-out-dir.js';
import { ConfigError } from '../../src/core/errors.js';

describe('prepareOutDir (the --out check)', () => {
  it('creates a missing nested directory and returns its absolute path', () => {
    const base = mkdtempSync(join(tmpdir(), 'mm-out-'));
    const out = prepareOutDir(join(base, 'a', 'b'));
    expect(out).toBe(join(base, 'a', 'b'));
    expect(statSync(out).isDirectory()).toBe(true);
    expect(prepareOutDir(out)).toBe(out); // an existing writable directory is fine
  });

  it('refuses pseudo file systems by path before touching them, and an empty value', () => {
    for (const value of ['/proc', '/proc/1/x', '/sys/x', '/dev/null/x', '']) {
      expect(() => prepareOutDir(value)).toThrow(ConfigError);
    }
    expect(() => prepareOutDir('/dev/shm/mm')).toThrow(/--out = "\/dev\/shm\/mm" is invalid: a directory on a real file system \(\/dev is a pseudo file system\)/);
    expect(existsSync('/proc/1/x')).toBe(false);
  });

  it.runIf(process.platform === 'linux')('reads the mount table: /proc is proc, a temp dir is a real file system', () => {
    expect(mountOf('/proc/self/status')?.type).toBe('proc');
    expect(['proc', 'sysfs', 'devtmpfs']).not.toContain(mountOf(tmpdir())?.type);
  });
});
