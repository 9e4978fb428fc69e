// Scenario files in every format the CLI accepts, in a project with "type": "module" and in one
// without: which ones Node imports itself (loadsNatively) and which go through tsx, and that each
// loads as the same scenario without a warning (plain Node warns when it reparses a typeless .js as
// an ES module). The built CLI on these files in installed projects: test/package/install.test.ts.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadScenarioFile, loadsNatively } from '../../src/cli/load-scenario-module.js';

const BODY = `{
  name: 'formats',
  summary: 'a scenario written in one of the accepted formats',
  data: { kind: 'synthetic', numClasses: 3, samplesPerClass: 20, numClients: 4, minSamplesPerClient: 3 },
  algorithm: { name: 'unifl', rounds: 2 },
  rounds: { clientsPerRound: 4 },
}`;
const ESM = `const rounds: number = 2;\nexport default { ...${BODY}, algorithm: { name: 'unifl', rounds } };\n`;
const ESM_JS = `export default ${BODY};\n`;
const CJS_JS = `module.exports = ${BODY};\n`;
/** What tsc emits for `export default` under CommonJS: the scenario is the exports object's default. */
const CJS_COMPILED = `"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\nexports.default = ${BODY};\n`;

/** A project folder with its package.json and `files`. */
function project(type: 'module' | undefined, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), `mm-formats-${type ?? 'plain'}-`));
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'p', ...(type ? { type } : {}) })}\n`);
  mkdirSync(join(dir, 'scenarios'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'scenarios', name), text);
  return join(dir, 'scenarios');
}

describe('scenario files of every format', () => {
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
  beforeEach(() => {
    warnings.length = 0;
    process.on('warning', onWarning);
  });
  afterEach(() => {
    process.off('warning', onWarning);
  });

  it('in a "type": "module" project: .js, .mjs and .cjs natively, .ts/.mts/.cts through tsx', async () => {
    const dir = project('module', { 'a.js': ESM_JS, 'b.mjs': ESM_JS, 'c.cjs': CJS_JS, 'd.cjs': CJS_COMPILED, 'e.ts': ESM, 'f.mts': ESM, 'g.cts': ESM });
    const native = { 'a.js': true, 'b.mjs': true, 'c.cjs': true, 'd.cjs': true, 'e.ts': false, 'f.mts': false, 'g.cts': false };
    for (const [file, expected] of Object.entries(native)) {
      expect(loadsNatively(join(dir, file)), file).toBe(expected);
      const scenario = await loadScenarioFile(join(dir, file));
      expect(scenario.name, file).toBe('formats');
      expect(scenario.algorithm.rounds, file).toBe(2);
    }
    expect(warnings).toEqual([]);
  });

  it('in a project without "type": a .js with import/export goes through tsx (no reparse warning), .mjs/.cjs natively', async () => {
    const dir = project(undefined, { 'a.js': ESM_JS, 'b.js': CJS_JS, 'c.mjs': ESM_JS, 'd.cjs': CJS_JS, 'e.ts': ESM, 'f.mts': ESM });
    const native = { 'a.js': false, 'b.js': false, 'c.mjs': true, 'd.cjs': true, 'e.ts': false, 'f.mts': false };
    for (const [file, expected] of Object.entries(native)) {
      expect(loadsNatively(join(dir, file)), file).toBe(expected);
      expect((await loadScenarioFile(join(dir, file))).name, file).toBe('formats');
    }
    expect(warnings).toEqual([]);
  });

  it('a native .js that imports a TypeScript helper falls back to tsx', async () => {
    const dir = project('module', { '_helper.ts': "export const name: string = 'formats';\n", 'h.js': `import { name } from './_helper.ts';\nexport default { ...${BODY}, name };\n` });
    expect(loadsNatively(join(dir, 'h.js'))).toBe(true);
    expect((await loadScenarioFile(join(dir, 'h.js'))).name).toBe('formats');
  });

  it('reports a native file that throws at import with its position, and a bad default export naming the file', async () => {
    const dir = project('module', { 'throws.mjs': "const a = 1;\nthrow new Error(`boom ${a}`);\nexport default {};\n", 'empty.mjs': 'export default 42;\n' });
    await expect(loadScenarioFile(join(dir, 'throws.mjs'))).rejects.toThrow(`${join(dir, 'throws.mjs')}:2:7: error while importing the scenario: Error: boom 1`);
    await expect(loadScenarioFile(join(dir, 'empty.mjs'))).rejects.toThrow(`${join(dir, 'empty.mjs')}: default export = 42 is invalid`);
  });
});
