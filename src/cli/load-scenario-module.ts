/**
 * Loads a scenario file for the CLI: TypeScript (`.ts`, `.mts`, `.cts`) or JavaScript (`.js`,
 * `.mjs`, `.cjs`), in any project whatever its package.json `type`. Files are imported through
 * tsx's scoped `tsImport`, so the built CLI runs with plain node and nothing is registered
 * process-wide (a process-wide loader makes a `.ts` scenario of a project without
 * `"type": "module"` fail with ERR_REQUIRE_CYCLE_MODULE when it imports 'modality-mirror').
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
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
  const { tsImport } = await import('tsx/esm/api');
  let module: { default?: unknown };
  try {
    module = (await tsImport(pathToFileURL(path).href, import.meta.url)) as { default?: unknown };
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
