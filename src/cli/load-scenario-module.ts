/**
 * Loads a scenario file for the CLI: TypeScript (`.ts`, `.mts`, `.cts`) or JavaScript (`.js`,
 * `.mjs`, `.cjs`), in any project whatever its package.json `type`. JavaScript that Node reads as
 * its author wrote it (`.mjs`, `.cjs`, `.js` under `"type": "module"`) is imported with Node's own
 * `import()`: tsx's loader costs about half a second at start-up (its module-hooks thread then sees
 * every later import, tfjs included). TypeScript, and a `.js` file of a project without
 * `"type": "module"` (it may hold `import`/`export`, which plain Node reparses with a warning), go
 * through tsx's scoped `tsImport`, so the built CLI runs with plain node and nothing is registered
 * process-wide (a process-wide loader makes a `.ts` scenario of a project without
 * `"type": "module"` fail with ERR_REQUIRE_CYCLE_MODULE when it imports 'modality-mirror').
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConfigError, DataError } from '../core/errors.js';
import { validateScenario } from '../scenario/load-scenario.js';
import type { Scenario, ScenarioInput } from '../scenario/schema.js';

/** The scenarios shipped with the package (scenarios/ in a checkout, dist/scenarios/ when built). */
export const SHIPPED_SCENARIOS = fileURLToPath(new URL('../../scenarios', import.meta.url));

/** Scenario files of a folder: TypeScript or JavaScript modules, not declarations or helpers (`_x.ts`). */
export function scenarioFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => /\.(c|m)?(ts|js)$/.test(f) && !/\.d\.(c|m)?ts$/.test(f) && !f.startsWith('_')).sort();
}

/** A path as given, or the shipped scenario of that name (`default`, `dropout`, …) when no such file exists. */
export function resolveScenarioPath(file: string): string {
  if (existsSync(file) || !/^[\w-]+$/.test(file) || !existsSync(SHIPPED_SCENARIOS)) return file;
  const shipped = scenarioFiles(SHIPPED_SCENARIOS).find((f) => f.replace(/\.(c|m)?(ts|js)$/, '') === file);
  return shipped ? join(SHIPPED_SCENARIOS, shipped) : file;
}

/** Imports and validates a scenario file (its default export, made with defineScenario). */
export async function loadScenarioFile(file: string): Promise<Scenario> {
  const path = resolve(resolveScenarioPath(file));
  if (!existsSync(path)) throw new ConfigError('command line', 'scenario', file, 'a path to an existing scenario file or the name of a shipped one (see `modality-mirror list`)');
  if (statSync(path).isDirectory()) throw new ConfigError('command line', 'scenario', file, 'a scenario file (it is a directory)');
  let module: { default?: unknown };
  try {
    module = loadsNatively(path) ? await importNatively(path) : await importWithTsx(path);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DataError) throw error;
    throw importError(file, path, error);
  }
  let value = module.default;
  // A file compiled as CommonJS (a .ts file where package.json has no "type": "module", a .cts)
  // arrives as its exports object: the scenario is that object's own default.
  if (value !== null && typeof value === 'object' && 'default' in value && !('name' in value)) value = (value as { default: unknown }).default;
  if (value === null || typeof value !== 'object') {
    throw new ConfigError(file, 'default export', value, 'a scenario object made with defineScenario({...})');
  }
  return validateScenario(value as ScenarioInput, file);
}

/** The `type` field of the package.json nearest to `dir` (Node's package scope), if any. */
function packageType(dir: string): unknown {
  for (let at = dir; ; at = dirname(at)) {
    const manifest = join(at, 'package.json');
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type;
      } catch {
        return undefined; // unreadable: tsx copes with either format
      }
    }
    if (dirname(at) === at) return undefined;
  }
}

/** Whether plain Node imports `path` as written: `.mjs`, `.cjs`, and `.js` in a `"type": "module"` package. */
export function loadsNatively(path: string): boolean {
  if (/\.(mjs|cjs)$/.test(path)) return true;
  return path.endsWith('.js') && packageType(dirname(path)) === 'module';
}

/** A TypeScript file (or CommonJS-scoped `.js`) through tsx's scoped loader. */
async function importWithTsx(path: string): Promise<{ default?: unknown }> {
  const { tsImport } = await import('tsx/esm/api');
  return (await tsImport(pathToFileURL(path).href, import.meta.url)) as { default?: unknown };
}

/**
 * A JavaScript file through Node's own `import()`; one that imports TypeScript (a `.ts` helper),
 * which Node refuses before running anything, through tsx instead.
 */
async function importNatively(path: string): Promise<{ default?: unknown }> {
  try {
    return (await import(pathToFileURL(path).href)) as { default?: unknown };
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error;
    return importWithTsx(path);
  }
}

/** `file:line:col` of the first stack frame inside the scenario file (Node's 1-based positions), else `file`. */
function positionIn(file: string, path: string, error: unknown): string {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  for (const frame of stack.split('\n').slice(1)) {
    const at = frame.indexOf(path);
    const match = at >= 0 ? /^:(\d+):(\d+)/.exec(frame.slice(at + path.length)) : null;
    if (match) return `${file}:${match[1]}:${match[2]}`;
  }
  return file;
}

/**
 * One line for a scenario file that does not compile (esbuild's `path:line:column: ERROR: text`, its
 * column 0-based: reported 1-based) or throws while it is imported (the first frame in the file).
 */
function importError(file: string, path: string, error: unknown): DataError {
  const message = error instanceof Error ? error.message : String(error);
  const syntax = /^(.*):(\d+):(\d+): ERROR: (.*)$/m.exec(message);
  if (syntax && syntax[1].endsWith(path.split('/').pop() ?? path)) return new DataError(`${file}:${syntax[2]}:${Number(syntax[3]) + 1}`, null, 'syntax error', syntax[4]);
  const what = error instanceof Error ? `${error.name}: ${message.split('\n')[0]}` : message;
  return new DataError(positionIn(file, path, error), null, 'error while importing the scenario', what);
}
