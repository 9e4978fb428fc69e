/**
 * Writes a report built from made-up numbers to OUT_DIR/report.html, for checking the layout:
 *   npx tsx scripts/sample-report.ts /tmp/x && scripts/screenshot-report.sh /tmp/x/report.html /tmp/report.png
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleReportHtml } from '../test/report/sample-report.js';

const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: tsx scripts/sample-report.ts OUT_DIR');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'report.html'), sampleReportHtml());
console.log(join(outDir, 'report.html'));
