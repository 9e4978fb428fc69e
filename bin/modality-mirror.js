#!/usr/bin/env node
// Launcher: registers tsx's loader so the CLI and scenario files run from TypeScript source.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
