/** Helpers for tests of run folders written by the CLI: scenario files on disk, the CLI as a child process, folder contents. */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScenarioInput } from '../../src/scenario/schema.js';

/** A fresh temporary folder. */
export const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), `mm-${prefix}-`));

/** Writes `scenario` as a TypeScript scenario file in a fresh ES-module folder; returns its path. */
export function scenarioFile(scenario: ScenarioInput): string {
  const dir = tempDir('scenario');
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  const file = join(dir, `${scenario.name}.ts`);
  writeFileSync(file, `export default ${JSON.stringify(scenario, null, 2)};\n`);
  return file;
}

/** Runs the CLI to the end. */
export function cli(args: string[], env: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['bin/modality-mirror.js', ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
}

/** Runs the CLI and sends it `signal` once its stderr matches `when`; resolves with its exit. */
export function cliSignalledWhen(args: string[], when: RegExp, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; sent: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/modality-mirror.js', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let sent = false;
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
      if (!sent && when.test(stderr)) {
        sent = true;
        child.kill(signal);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, sig) => resolve({ code, signal: sig, stderr, sent }));
  });
}

/** sha-256 of a file. */
export const sha256File = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** summary.json of a run folder. */
export const summaryOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Record<string, unknown> & { traceHash: string; weightsHash: string; complete: boolean };

/** The folder's files (sorted), and their contents except the summary's wall time. */
export function folderContent(dir: string): { files: string[]; content: Record<string, string> } {
  const files = readdirSync(dir).sort();
  const content: Record<string, string> = {};
  for (const name of files) {
    if (!existsSync(join(dir, name)) || name === 'checkpoint') continue;
    const text = readFileSync(join(dir, name)).toString('base64');
    content[name] = name === 'summary.json' ? JSON.stringify({ ...summaryOf(dir), wallTimeMs: null, workers: null }) : text;
  }
  return { files, content };
}
