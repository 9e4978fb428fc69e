import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliExit } from '../../src/cli/cli-exit.js';
import type { RunFlags } from '../../src/cli/flags.js';
import { resumeCommand } from '../../src/cli/resume-command.js';
import { runCommand } from '../../src/cli/run-command.js';
import type { RunMeta } from '../../src/cli/run-meta.js';
import { NODE_FILE_OPS, type FileOps } from '../../src/engine/atomic-write.js';
import { readCheckpoint } from '../../src/engine/checkpoint-store.js';
import { stormyScenario } from '../helpers/checkpoint-scenarios.js';
import { cli, folderContent, scenarioFile, sha256File, summaryOf, tempDir } from '../helpers/run-folder.js';

/** node:fs, except that the `nth` write to a file whose name contains `name` fails as on a full disk. */
function fullDiskAt(name: string, nth: number): FileOps & { failed: string[] } {
  const paths = new Map<number, string>();
  const seen = new Map<string, number>();
  const failed: string[] = [];
  return {
    ...NODE_FILE_OPS,
    failed,
    openSync(path, flags) {
      const fd = NODE_FILE_OPS.openSync(path, flags);
      paths.set(fd, path);
      if (path.includes(name) && flags !== 'r') seen.set(name, (seen.get(name) ?? 0) + 1);
      return fd;
    },
    writeSync(fd, data) {
      const path = paths.get(fd) ?? '';
      if (path.includes(name) && seen.get(name) === nth) {
        failed.push(path);
        throw Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: 'ENOSPC', errno: -28 });
      }
      return NODE_FILE_OPS.writeSync(fd, data);
    },
  };
}

const flagsFor = (out: string): RunFlags => ({ workers: 0, out, fakeTrainer: true });
const asideFiles = (dir: string) => readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.tmp'));

describe('a full disk', () => {
  const file = scenarioFile(stormyScenario('unifl', 6));
  const wholeDir = join(tempDir('whole'), 'run');

  it('while writing a checkpoint: a clear error naming the path; the last good checkpoint is kept and resumes', async () => {
    expect(cli(['run', file, '--fake-trainer', '--workers', '0', '--out', wholeDir]).status).toBe(0);
    const dir = join(tempDir('full'), 'run');
    const io = fullDiskAt('state.msgpack', 3);
    const error = await runCommand(file, flagsFor(dir), io).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(CliExit);
    expect((error as CliExit).exitCode).toBe(1);
    expect((error as CliExit).message).toBe(
      `error: cannot write ${join(dir, 'checkpoint', 'state.msgpack')}: no space left on device (ENOSPC); the last good checkpoint (after 2 of 6 rounds) is kept; free some space and continue with: modality-mirror resume ${dir}`,
    );
    expect(io.failed[0]).toMatch(/state\.msgpack\.\d+\.atomic\.tmp$/);
    expect(asideFiles(dir)).toEqual([]);
    expect(readCheckpoint<RunMeta>(dir)!.checkpoint.state.roundsClosed).toBe(2);
    expect(summaryOf(dir)).toMatchObject({ complete: false, status: 'running' });
    await resumeCommand(dir);
    expect(folderContent(dir)).toEqual(folderContent(wholeDir));
  });

  it('while writing the run folder: the folder stays marked incomplete, holds nothing half-written, and resumes', async () => {
    const dir = join(tempDir('full'), 'run');
    const error = await runCommand(file, flagsFor(dir), fullDiskAt('trace.msgpack', 1)).then(() => null, (e: unknown) => e);
    expect((error as Error).message).toBe(`error: cannot write ${join(dir, 'trace.msgpack')}: no space left on device (ENOSPC); the last good checkpoint (after 5 of 6 rounds) is kept; free some space and continue with: modality-mirror resume ${dir}`);
    expect(readdirSync(dir).sort()).toEqual(['checkpoint', 'summary.json']);
    expect(summaryOf(dir)).toMatchObject({ complete: false, status: 'running' });
    expect(asideFiles(dir)).toEqual([]);
    await resumeCommand(dir);
    expect(folderContent(dir)).toEqual(folderContent(wholeDir));
    expect(sha256File(join(dir, 'trace.msgpack'))).toBe(summaryOf(dir).traceHash);
    expect(existsSync(join(dir, 'checkpoint'))).toBe(false);
  });
});
