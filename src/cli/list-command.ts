/** `modality-mirror list`: every scenario shipped in scenarios/, with its one-line summary. */
import { join, relative } from 'node:path';
import { renderTextTable } from '../report/text-table.js';
import { loadScenarioFile, scenarioFiles } from './load-scenario-module.js';

/** Lists the scenarios of a folder (default: the project's scenarios/). */
export async function listCommand(dir: string): Promise<string> {
  const rows: string[][] = [];
  for (const file of scenarioFiles(dir)) {
    const scenario = await loadScenarioFile(join(dir, file));
    rows.push([scenario.name, relative(process.cwd(), join(dir, file)) || file, scenario.algorithm.name, scenario.summary]);
  }
  return renderTextTable(['name', 'file', 'algorithm', 'summary'], rows);
}
