#!/usr/bin/env node
// Mean per-label F1 change of ModalityMirror against a baseline on the synthetic dataset, split into
// acoustically dominant labels (class names ending in -audio) and the others, per missing rate:
//   node scripts/f1-by-class-group.mjs runs/readme-compare/compare.json [baseline=unifl]
import { readFileSync } from 'node:fs';

const [file, baseline = 'unifl'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/f1-by-class-group.mjs COMPARE_JSON [BASELINE]');
  process.exit(2);
}
const compare = JSON.parse(readFileSync(file, 'utf8'));
const names = compare.perLabelF1Diff.classNames;
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const rates = [...new Set(compare.runs.map((r) => r.missingRate))].sort((a, b) => a - b);
for (const rate of rates) {
  const f1 = (method) => {
    const runs = compare.runs.filter((r) => r.method === method && r.missingRate === rate && r.headline);
    return names.map((_, k) => mean(runs.map((r) => r.headline.perClassF1[k])));
  };
  const diff = f1('modality-mirror').map((v, k) => v - f1(baseline)[k]);
  const group = (audio) => mean(diff.filter((_, k) => names[k].endsWith('-audio') === audio)).toFixed(3);
  console.log(`missing ${rate}: mean ΔF1 vs ${baseline}: other labels ${group(false)}, acoustically dominant ${group(true)}`);
}
