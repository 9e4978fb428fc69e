// The package as its users get it: `npm pack` this repository, install the tarball in fresh
// projects (one without "type", one with "type": "module"), and run there what the README's
// "Use as a library" section shows: a program importing 'modality-mirror', a vitest protocol test
// against 'modality-mirror/testing', CommonJS require, and the installed CLI on the user's own
// scenario files (.ts, .mts, .js, .mjs) — with plain node, no tsx registered by anyone.
//
// Installs are offline: each project gets a lockfile derived from this repository's (versions and
// integrity hashes), so npm takes every tarball from the cache `npm ci` filled. If that fails (a
// dependency changed without the lockfile), it falls back to a normal install that prefers the cache.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = process.cwd();
const readme = readFileSync(join(repo, 'README.md'), 'utf8');

/** The files the README's "Use as a library" section names with `<!-- file: NAME -->` before a code block. */
function readmeFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const m of readme.matchAll(/<!-- file: ([\w.-]+) -->\n```\w*\n([\s\S]*?)\n```/g)) files[m[1]] = `${m[2]}\n`;
  return files;
}

/** The environment of the outer test run without what would confuse a nested npm or vitest. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(VITEST|NODE_OPTIONS$|NODE_ENV$|TEST$)/.test(k)) continue;
    if (/^npm_/i.test(k) && k.toLowerCase() !== 'npm_config_cache') continue;
    env[k] = v;
  }
  return env;
}
const env = cleanEnv();
const npmCli = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const sh = (command: string, args: string[], cwd: string, timeout = 120_000): SpawnSyncReturns<string> =>
  spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout });
/** The same, without blocking: the two projects install side by side. */
const shAsync = (command: string, args: string[], cwd: string, timeout = 120_000): Promise<SpawnSyncReturns<string>> =>
  new Promise((done) => {
    const child = spawn(command, args, { cwd, env, timeout });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (error) => done({ pid: child.pid ?? 0, output: [], stdout, stderr, status: null, signal: null, error }));
    child.on('close', (status, signal) => done({ pid: child.pid ?? 0, output: [], stdout, stderr, status, signal }));
  });
const show = (r: SpawnSyncReturns<string>) => `exit ${r.status}${r.error ? ` (${r.error.message})` : ''}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;

/** A lockfile for a project depending only on the tarball: the repository's non-dev entries. */
function lockFor(name: string, spec: string): string {
  const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as { packages: Record<string, Record<string, unknown>> };
  const root = lock.packages[''];
  const packages: Record<string, unknown> = {
    '': { name, version: '1.0.0', dependencies: { 'modality-mirror': spec } },
    'node_modules/modality-mirror': {
      version: root.version, resolved: spec, license: root.license, dependencies: root.dependencies,
      optionalDependencies: root.optionalDependencies, bin: root.bin, engines: root.engines,
    },
  };
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (key === '' || entry.dev) continue;
    const copy = { ...entry };
    if (copy.devOptional) {
      delete copy.devOptional;
      copy.optional = true;
    }
    packages[key] = copy;
  }
  return `${JSON.stringify({ name, version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`;
}

let work = '';
let tarballName = '';
let packed: string[] = [];
const projects: Record<'plain' | 'module', string> = { plain: '', module: '' };

/** A fresh project with the tarball installed, the README's files written, and vitest linked from this repository. */
async function makeProject(kind: 'plain' | 'module'): Promise<string> {
  const dir = join(work, `user-${kind}`);
  mkdirSync(dir);
  const spec = `file:../${tarballName}`;
  const pkg = { name: `user-${kind}`, version: '1.0.0', private: true, ...(kind === 'module' ? { type: 'module' } : {}), dependencies: { 'modality-mirror': spec } };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  writeFileSync(join(dir, 'package-lock.json'), lockFor(pkg.name, spec));
  let r = await shAsync(npmCli, ['ci', '--offline', '--no-audit', '--no-fund'], dir, 180_000);
  if (r.status !== 0) {
    rmSync(join(dir, 'package-lock.json'), { force: true });
    r = await shAsync(npmCli, ['install', '--prefer-offline', '--no-audit', '--no-fund'], dir, 300_000);
  }
  if (r.status !== 0) throw new Error(`installing the tarball in ${dir} failed: ${show(r)}`);
  // vitest from this repository (installing it in each project would be slow and needs more of the cache).
  symlinkSync(join(repo, 'node_modules', 'vitest'), join(dir, 'node_modules', 'vitest'), 'dir');
  for (const [name, content] of Object.entries(readmeFiles())) writeFileSync(join(dir, name), content);
  return dir;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mm-package-'));
  // Pack a copy of the package's sources, so the build never touches this checkout's dist/ (other
  // test runs in the same checkout may be packing too). `npm pack` runs `prepare` (the build) first.
  const staging = join(work, 'package-source');
  mkdirSync(staging);
  for (const entry of ['package.json', 'package-lock.json', 'README.md', 'tsconfig.json', 'tsconfig.build.json', 'bin', 'src', 'actors', 'scenarios']) {
    cpSync(join(repo, entry), join(staging, entry), { recursive: true });
  }
  symlinkSync(join(repo, 'node_modules'), join(staging, 'node_modules'), 'dir');
  const r = sh(npmCli, ['pack', '--json', '--pack-destination', work], staging, 240_000);
  if (r.status !== 0) throw new Error(`npm pack failed: ${show(r)}`);
  const [info] = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarballName = info.filename;
  packed = info.files.map((f) => f.path);
  [projects.plain, projects.module] = await Promise.all([makeProject('plain'), makeProject('module')]);
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('ships the built code, declarations, CLI, scenarios and README, and nothing else', () => {
    for (const f of ['package.json', 'README.md', 'bin/modality-mirror.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/testing/index.js', 'dist/src/testing/index.d.ts', 'dist/src/cli/main.js', 'dist/src/train/pool-worker.js', 'dist/actors/server.js', 'dist/scenarios/default.js']) {
      expect(packed).toContain(f);
    }
    expect(packed.filter((f) => /^(test|bench|scripts|\.ci|src|docs|runs)\//.test(f))).toEqual([]);
    expect(packed.filter((f) => /\.ts$/.test(f) && !/\.d\.ts$/.test(f))).toEqual([]);
    expect(packed.every((f) => /^(dist\/|bin\/|package\.json$|README\.md$|LICENSE)/.test(f))).toBe(true);
  });

  it('the README names the files the tests below run', () => {
    expect(Object.keys(readmeFiles()).sort()).toEqual(['my-scenario.ts', 'protocol.test.ts', 'simulate.mjs']);
  });
});

for (const kind of ['plain', 'module'] as const) {
  describe(`installed in a project ${kind === 'plain' ? 'without "type"' : 'with "type": "module"'}`, () => {
    const dir = () => projects[kind];
    const bin = () => join(dir(), 'node_modules', '.bin', 'modality-mirror');

    it("plain node runs the README's program importing 'modality-mirror' (fake trainer)", () => {
      const r = sh(process.execPath, ['simulate.mjs'], dir());
      expect(r.status, show(r)).toBe(0);
      expect(r.stdout).toMatch(/^round 0: ok, 4 of 4 updates\nround 1: ok, 3 of 4 updates\naudio accuracy 0\.\d{3}, traceHash [0-9a-f]{12}\n$/);
    });

    it("CommonJS require('modality-mirror') works where Node can require ES modules, else fails with Node's clear error", () => {
      const code = [
        "const { runScenario, defineScenario } = require('modality-mirror');",
        "const { runInMemory, FakeTrainer } = require('modality-mirror/testing');",
        "if (typeof runInMemory !== 'function' || typeof FakeTrainer !== 'function') throw new Error('testing entry incomplete');",
        "const s = defineScenario({ name: 'cjs', summary: 'cjs', data: { kind: 'synthetic', numClasses: 3, samplesPerClass: 20, numClients: 4, minSamplesPerClient: 3 }, algorithm: { name: 'unifl', rounds: 2 }, rounds: { clientsPerRound: 4 } });",
        "runScenario(s, { trainer: 'fake' }).then(({ result }) => console.log('cjs', result.complete, result.rounds.length));",
      ].join('\n');
      writeFileSync(join(dir(), 'require.cjs'), `${code}\n`);
      const r = sh(process.execPath, ['require.cjs'], dir());
      if ((process.features as { require_module?: boolean }).require_module) {
        expect(r.status, show(r)).toBe(0);
        expect(r.stdout).toBe('cjs true 2\n');
      } else {
        expect(r.status).not.toBe(0);
        expect(r.stderr).toMatch(/ERR_REQUIRE_ESM/);
      }
    });

    it("vitest runs the README's protocol test against 'modality-mirror/testing'", () => {
      const r = sh(process.execPath, [join(dir(), 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', dir()], dir());
      expect(r.status, show(r)).toBe(0);
      expect(r.stdout).toMatch(/Tests\s+.*1 passed/);
    });

    it('the installed CLI runs .ts, .mts, .js and .mjs scenarios of the project with --fake-trainer', () => {
      const source = readFileSync(join(dir(), 'my-scenario.ts'), 'utf8');
      for (const ext of ['ts', 'mts', 'js', 'mjs']) {
        const file = `scenario-copy.${ext}`;
        writeFileSync(join(dir(), file), source);
        const out = join('runs', ext);
        const r = sh(bin(), ['run', file, '--fake-trainer', '--rounds', '2', '--out', out], dir());
        expect(r.status, `${file}: ${show(r)}`).toBe(0);
        expect(r.stderr, file).not.toMatch(/ERR_|Warning/);
        expect(r.stdout).toMatch(/\(headline\)[\s\S]*method unifl/);
        expect(JSON.parse(readFileSync(join(dir(), out, 'summary.json'), 'utf8'))).toMatchObject({ complete: true, scenario: 'my-study', backend: 'fake' });
      }
    });

    it('the installed CLI prints its version, lists and runs the shipped scenarios, and fails loudly when training fails', () => {
      const version = sh(bin(), ['--version'], dir());
      expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version);
      const list = sh(bin(), ['list'], dir());
      expect(list.status, show(list)).toBe(0);
      expect(list.stdout).toMatch(/default .*node_modules\/modality-mirror\/dist\/scenarios\/default\.js/);
      const shipped = sh(bin(), ['run', 'dropout', '--fake-trainer', '--rounds', '2', '--out', 'runs/shipped'], dir());
      expect(shipped.status, show(shipped)).toBe(0);
      const failing = sh(bin(), ['run', 'my-scenario.ts', '--fake-trainer', '--fake-fail', 'no kernel', '--out', 'runs/failing'], dir());
      expect(failing.status).toBe(1);
      expect(failing.stderr).toMatch(/error: run cannot train: all 4 training tasks of round 0 \(phase fedavg, method unifl, seed \d+\) failed with the same reason: training failed: no kernel/);
      expect(failing.stdout).toBe('');
    });
  });
}

describe('installed, with real training', () => {
  it('trains on a worker pool from the built files (the pool worker resolved in dist/)', () => {
    const r = sh(join(projects.plain, 'node_modules', '.bin', 'modality-mirror'), ['run', 'my-scenario.ts', '--workers', '1', '--rounds', '1', '--out', 'runs/real'], projects.plain, 180_000);
    expect(r.status, show(r)).toBe(0);
    const summary = JSON.parse(readFileSync(join(projects.plain, 'runs', 'real', 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ complete: true, workers: 1 });
    expect(['tensorflow', 'wasm', 'cpu']).toContain(summary.backend);
  });

  it('trains FedProx (its own objective) and FedBuff (its own driver) on a worker pool from the built files', () => {
    const r = sh(join(projects.plain, 'node_modules', '.bin', 'modality-mirror'), ['compare', 'my-scenario.ts', '--methods', 'fedprox,fedbuff', '--workers', '1', '--rounds', '1', '--out', 'runs/plugins'], projects.plain, 180_000);
    expect(r.status, show(r)).toBe(0);
    const grid = JSON.parse(readFileSync(join(projects.plain, 'runs', 'plugins', 'compare.json'), 'utf8'));
    expect(JSON.stringify(grid)).toMatch(/"fedprox"/);
    expect(JSON.stringify(grid)).toMatch(/"fedbuff"/);
  });

  it("the declarations type-check a user's TypeScript against both entry points", () => {
    const dir = projects.module;
    writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, allowImportingTsExtensions: true, types: [] }, include: ['my-scenario.ts', 'protocol.test.ts', 'typed.ts'] }, null, 2)}\n`);
    writeFileSync(join(dir, 'typed.ts'), [
      "import { runScenario, type RunResult, type ScenarioInput, TrainingFailedError } from 'modality-mirror';",
      "import { FakeTrainer, TraceQuery } from 'modality-mirror/testing';",
      'export async function accuracy(s: ScenarioInput): Promise<number | undefined> {',
      "  const { result }: { result: RunResult } = await runScenario(s, { trainer: 'fake' });",
      '  return result.headline?.accuracy;',
      '}',
      'export const kinds = [FakeTrainer, TraceQuery, TrainingFailedError];',
      '',
    ].join('\n'));
    const r = sh(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], dir);
    expect(r.status, show(r)).toBe(0);
  });
});
