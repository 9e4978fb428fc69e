/**
 * The CLI on lazily loaded NPY data with a bad value in a client first contacted after round 1:
 * the run stops with exit 2 naming the file and sample, the folder says crashed and keeps its last
 * checkpoint, and once the file is fixed `resume` ends as the run on clean data.
 */
import { copyFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../src/engine/checkpoint-store.js';
import type { RunMeta } from '../../src/cli/run-meta.js';
import type { ScenarioInput } from '../../src/scenario/schema.js';
import { cli, scenarioFile, summaryOf, tempDir } from '../helpers/run-folder.js';

const TOY = join(import.meta.dirname, '..', 'fixtures', 'npy', 'toy');

describe('a lazily loaded client with bad data, met mid-run', () => {
  it('exit 2 naming the file and sample, checkpoint kept; resumed after the fix, the clean run', () => {
    const data = join(tempDir('lazy-npy'), 'toy');
    cpSync(TOY, data, { recursive: true });
    const scenario: ScenarioInput = {
      name: 'lazy-bad',
      summary: 'lazily loaded NPY data, a client with a NaN',
      data: { kind: 'npy', dir: data, load: 'lazy' },
      videoMissingRate: null,
      algorithm: { name: 'unifl', rounds: 4 },
      rounds: { clientsPerRound: 2 },
    };
    const file = scenarioFile(scenario);
    const clean = join(tempDir('lazy-clean'), 'run');
    const whole = cli(['run', file, '--fake-trainer', '--out', clean]);
    expect(whole.status, whole.stderr).toBe(0);
    const rounds = summaryOf(clean).rounds as Array<{ selected: string[] }>;
    const first = new Set(rounds[0].selected);
    const later = rounds.slice(1).flatMap((r) => r.selected).find((id) => !first.has(id))!;
    expect(later).toBeDefined();

    // NaN in the first value of that client's first training sample (clients.npy: int32 client id per sample).
    const clients = readFileSync(join(data, 'clients.npy'));
    const ids = new Int32Array(clients.buffer.slice(clients.byteOffset + 10 + clients.readUInt16LE(8)));
    const sample = ids.indexOf(Number(later));
    const keys = JSON.parse(readFileSync(join(data, 'keys.json'), 'utf8')) as string[];
    const audio = join(data, 'audio.npy');
    copyFileSync(audio, `${audio}.orig`);
    const bytes = readFileSync(audio);
    bytes.writeFloatLE(Number.NaN, 10 + bytes.readUInt16LE(8) + sample * 30 * 8 * 4);
    writeFileSync(audio, bytes);

    const dir = join(tempDir('lazy-bad'), 'run');
    const bad = cli(['run', file, '--fake-trainer', '--out', dir]);
    expect(bad.status, bad.stderr).toBe(2);
    expect(bad.stderr).toContain(`error: ${audio} [item ${keys[sample]}]: audio features: NaN at frame 0, dim 0 (features must be finite)`);
    expect(summaryOf(dir)).toMatchObject({ complete: false, status: 'crashed' });
    const kept = readCheckpoint<RunMeta>(dir)!;
    expect(kept.checkpoint.state.roundsClosed).toBeGreaterThanOrEqual(1);

    copyFileSync(`${audio}.orig`, audio);
    const resumed = cli(['resume', dir]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(summaryOf(dir).traceHash).toBe(summaryOf(clean).traceHash);
    expect(summaryOf(dir).weightsHash).toBe(summaryOf(clean).weightsHash);
  }, 120_000);
});
