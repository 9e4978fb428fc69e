/**
 * Backend selection for tfjs: tfjs-node when installed, else wasm (SIMD), else cpu.
 *
 * The backend is part of a run's identity (results differ in the last bits between backends),
 * so callers record the name that {@link initBackend} returns.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as tf from './tfjs.js';
import { registerWasmKernels } from './kernels/register-wasm-kernels.js';

/** The tfjs backends this project knows how to start. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

const ORDER: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

/** One in-flight/finished init per process (or worker thread): makes initBackend idempotent. */
const pending = new Map<BackendName, Promise<boolean>>();

/** require(), not import(): both backends are CommonJS, and import() scans their source first (see tfjs.ts). */
const require = createRequire(import.meta.url);

/** Tries to load tfjs-node; a variable specifier keeps tsc and bundlers from requiring it. */
async function loadTensorflow(): Promise<boolean> {
  try {
    const name = '@tensorflow/tfjs-node';
    require(name);
  } catch {
    return false;
  }
  return tf.findBackendFactory('tensorflow') != null;
}

/** Loads the wasm backend with its binaries taken from the package's dist folder on disk. */
async function loadWasm(): Promise<boolean> {
  try {
    const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
    // The package's "main" lives in dist/, next to the .wasm binaries.
    const distDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
    wasm.setWasmPaths(distDir + path.sep);
    return true;
  } catch {
    return false;
  }
}

/**
 * Silences the cpu backend's one-time "Hi, looks like you are running TensorFlow.js in Node.js"
 * banner, which it prints on the first tensor it stores (every worker would print it once). The
 * backend choice and its reasons are reported by the caller instead.
 */
function silenceCpuBanner(): void {
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (cpu !== null && typeof cpu.firstUse === 'boolean') cpu.firstUse = false;
}

/** Makes `name` the active backend; returns false when it cannot be started here. */
async function activate(name: BackendName): Promise<boolean> {
  silenceCpuBanner();
  let loaded = pending.get(name);
  if (loaded === undefined) {
    loaded = (async () => {
      if (name === 'tensorflow') return loadTensorflow();
      if (name === 'wasm') return loadWasm();
      return true; // cpu ships inside @tensorflow/tfjs
    })();
    pending.set(name, loaded);
  }
  if (!(await loaded)) return false;
  if (tf.getBackend() === name) return true;
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
  } catch {
    ok = false;
  }
  if (!ok) return false;
  await tf.ready();
  if (name === 'wasm') registerWasmKernels();
  return true;
}

/**
 * Starts a tfjs backend and returns its name: `preferred` if given (throws when it cannot start),
 * else the first of tensorflow → wasm → cpu that starts. Safe to call repeatedly, also from workers.
 */
export async function initBackend(preferred?: BackendName): Promise<BackendName> {
  if (preferred !== undefined) {
    if (!ORDER.includes(preferred)) {
      throw new Error(
        `initBackend: backend '${String(preferred)}' is not one of ${ORDER.join(', ')}`,
      );
    }
    if (await activate(preferred)) return preferred;
    const hint =
      preferred === 'tensorflow'
        ? ' (@tensorflow/tfjs-node is not installed or failed to load)'
        : '';
    throw new Error(`initBackend: backend '${preferred}' could not be started${hint}`);
  }
  for (const name of ORDER) {
    if (await activate(name)) return name;
  }
  throw new Error(`initBackend: none of the backends ${ORDER.join(', ')} could be started`);
}

/** Name of the tfjs backend currently in use (empty string before any backend is set). */
export function activeBackend(): string {
  return tf.getBackend() ?? '';
}
