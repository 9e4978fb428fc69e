/**
 * The project's layering, enforced by dependency-cruiser (`npm run lint:deps`, run in CI).
 * Each folder may import only itself and the folders listed for it; everything else is an error.
 * The table is the README's "Layout" read as arrows pointing down: core at the bottom, the
 * composition root (engine) and the front doors (cli, index, testing) at the top.
 */
const LOWER = ['src/core'];
const LEAVES = [...LOWER, 'src/model', 'src/data', 'src/metrics'];
const CONTRACTS = [...LEAVES, 'src/protocol'];
const BELOW_ACTORS = [...CONTRACTS, 'src/sim', 'src/strategies'];
const BELOW_ENGINE = [...BELOW_ACTORS, 'src/train', 'actors', 'src/scenario', 'scenarios'];

/** Folder → folders it may import (besides itself). */
const LAYERS = {
  'src/core': [],
  'src/model': LOWER,
  'src/data': LOWER,
  'src/metrics': LOWER,
  'src/protocol': ['src/core', 'src/model'],
  'src/sim': ['src/core', 'src/protocol'],
  'src/strategies': ['src/core', 'src/model', 'src/protocol'],
  'src/train': [...CONTRACTS, 'src/strategies'],
  actors: [...BELOW_ACTORS],
  'src/scenario': ['src/core', 'src/model', 'src/data', 'src/protocol', 'src/strategies'],
  scenarios: ['src/core', 'src/data', 'src/scenario'],
  // The queue trainer is one of the trainers the composition root (engine) can build.
  'src/queue': BELOW_ENGINE,
  'src/engine': [...BELOW_ENGINE, 'src/queue'],
  'src/report': [...BELOW_ENGINE, 'src/engine'],
  'src/testing': [...BELOW_ENGINE, 'src/engine'],
  'src/cli': [...BELOW_ENGINE, 'src/engine', 'src/report', 'src/queue', 'src/testing'],
};

const escape = (s) => s.replace(/[/.]/g, (c) => `\\${c}`);
const PROJECT = '^(src|actors|scenarios)/';

const layerRules = Object.entries(LAYERS).map(([from, allowed]) => ({
  name: `layer:${from}`,
  comment: `${from} may import only ${allowed.length ? allowed.join(', ') : 'itself'} (README "Layout")`,
  severity: 'error',
  from: { path: `^${escape(from)}/` },
  to: { path: PROJECT, pathNot: `^(${[from, ...allowed].map(escape).join('|')})/` },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-circular',
      comment: 'A cycle makes two modules one: merge them or move the shared part down.',
      severity: 'error',
      from: { path: PROJECT },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'tfjs-only-in-model-and-train',
      comment: 'Only model/ and train/ compute with tfjs; algorithms write their losses against the local-step API\'s ops (src/protocol/local-step.ts), so the rest stays plain data.',
      severity: 'error',
      from: { path: PROJECT, pathNot: '^src/(model|train)/' },
      // src/model/tfjs.ts is how the package loads tfjs (with require, see there).
      to: { path: '@tensorflow/|^src/model/tfjs\\.ts$' },
    },
    {
      name: 'tfjs-through-model-tfjs',
      comment: 'tfjs is loaded with require() in src/model/tfjs.ts (an ESM import of its CommonJS bundles doubles its load time in every worker): import tf from there.',
      severity: 'error',
      from: { path: PROJECT, pathNot: '^src/model/tfjs\\.ts$' },
      to: { path: 'node_modules/@tensorflow/tfjs/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that does not resolve is a stale path.',
      severity: 'error',
      from: { path: PROJECT },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
