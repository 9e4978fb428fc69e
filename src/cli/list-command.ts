/** `modality-mirror list`: every scenario shipped in scenarios/, with its one-line summary. */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadScenarioFile } from '../scenario/load-scenario.js';
import { renderTextTable } from '../report/text-table.js';

/** Lists the scenarios of a folder (default: the project's scenarios/). */
export async function listCommand(dir: string): Promise<string> {
  const files = readdirSync(dir).filter((f) => /\.(ts|js)$/.test(f) && !f.startsWith('_')).sort();
  const rows: string[][] = [];
  for (const file of files) {
    const scenario = await loadScenarioFile(join(dir, file));
    rows.push([scenario.name, relative(process.cwd(), join(dir, file)) || file, scenario.algorithm.name, scenario.summary]);
  }
  return renderTextTable(['name', 'file', 'algorithm', 'summary'], rows);
}
