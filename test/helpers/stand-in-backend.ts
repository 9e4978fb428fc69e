/**
 * A stand-in for tfjs-node's 'tensorflow' backend in tests: a backend registered under its own name
 * that holds only tfjs's stock kernels (those of @tensorflow/tfjs-backend-cpu's dist/kernels), none
 * of this project's. Code that dispatches a project kernel without a fallback fails on it exactly
 * as it would on tfjs-node. What it cannot show: tfjs-node's own numerics (native TensorFlow
 * kernels) and its memory model (a stand-in is still a cpu backend, so reaching into backend data
 * would work here and not there; that is guarded by review and by kernelAvailable checks).
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';

/** Name the stand-in backend is registered under. */
export const STAND_IN = 'stand-in-stock';

/** Kernel names that ship with tfjs's cpu backend (one file each in its dist/kernels). */
export function stockKernelNames(): string[] {
  const require = createRequire(import.meta.url);
  const main = require.resolve('@tensorflow/tfjs-backend-cpu');
  // main is dist/tf-backend-cpu.node.js (or similar) inside the package's dist folder.
  const dir = path.join(path.dirname(main), 'kernels');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .map((f) => f.slice(0, -3))
    .filter((name) => tf.getKernel(name, 'cpu') !== undefined);
}

/** Registers the stand-in (once) and makes it the active backend. */
export async function useStandInBackend(): Promise<void> {
  if (tf.findBackendFactory(STAND_IN) == null) {
    tf.registerBackend(STAND_IN, () => {
      const backend = new MathBackendCPU();
      (backend as unknown as { firstUse: boolean }).firstUse = false;
      return backend;
    }, -1);
    for (const name of stockKernelNames()) {
      const config = tf.getKernel(name, 'cpu')!;
      tf.registerKernel({ ...config, backendName: STAND_IN });
    }
  }
  await tf.setBackend(STAND_IN);
  await tf.ready();
}
