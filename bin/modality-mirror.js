#!/usr/bin/env node
// Launcher. In an installed package it runs the built CLI (dist/) with plain node; in a source
// checkout (src/cli/main.ts beside bin/) it runs the TypeScript source through tsx's loader, so
// the repository's own tests and scripts never run a stale build.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import('../dist/src/cli/main.js');
}
