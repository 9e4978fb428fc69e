/**
 * No stale references: every repository path a comment or a doc names (`src/...ts`, `actors/...ts`,
 * `scenarios/...`, `bench/...`, `scripts/...`) exists. A move that forgets a comment fails here.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
/** A path to a file in the code folders, with its extension; not preceded by a path character. */
const PATH = /(?<![\w./-])((?:src|actors|scenarios|bench|scripts)\/[\w/.-]*\.(?:ts|mjs|js|py|sh))(?![\w])/g;
/** Example names in text that are not meant to exist (an error message's made-up scenario). */
const EXAMPLES = new Set(['scenarios/x.ts']);

/** Tracked and untracked (not ignored) files: the working tree as CI checks it out. */
function scannedFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'README.md', 'docs', 'src', 'actors', 'scenarios', 'bench', 'scripts'], { cwd: root, encoding: 'utf8' });
  return [...new Set(out.split('\n'))].filter((f) => /\.(ts|mjs|md)$/.test(f) && existsSync(join(root, f)));
}

describe('path references in comments and docs', () => {
  it('every named src/actors/scenarios/bench/scripts file exists', () => {
    const files = scannedFiles();
    expect(files.length).toBeGreaterThan(100);
    const stale: string[] = [];
    for (const file of files) {
      readFileSync(join(root, file), 'utf8').split('\n').forEach((line, i) => {
        for (const m of line.matchAll(PATH)) {
          if (!EXAMPLES.has(m[1]) && !existsSync(join(root, m[1]))) stale.push(`${file}:${i + 1}: ${m[1]}`);
        }
      });
    }
    expect(stale).toEqual([]);
  });
});
