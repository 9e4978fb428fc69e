/**
 * Dropout whose mask is a pure function of (step key, layer name).
 *
 * tfjs's Dropout draws from an unseeded global generator or from one fixed seed (the same mask every step); neither
 * is allowed here. The trainer writes a per-step key into the model's DropoutControl before each
 * forward pass, and every SeededDropout layer derives its own stream from that key and its name.
 */
import * as tf from './tfjs.js';
import { seedInt, seedKey } from '../core/seed-streams.js';
import { uploadScratch } from './scratch-arrays.js';
import { dropoutSimd, dropoutSimdAvailable, type DropoutHash } from './kernels/dropout-simd.js';

/** Shared switch read by every SeededDropout layer of one model. */
export interface DropoutControl {
  /** Apply dropout (training) or pass inputs through (inference). */
  training: boolean;
  /** Seed key of the current step, e.g. seedKey(task.seed, 'dropout', epoch, step). */
  stepKey: string;
}

/** A fresh control in inference mode. */
export function createDropoutControl(): DropoutControl {
  return { training: false, stepKey: '' };
}

/**
 * Inverted-dropout mask values (0 or 1/(1-rate)) for `size` elements, a pure function of `key`:
 * element i is dropped when hash(seedInt(key) + i·golden) < rate·2³² (hash: the lowbias32
 * finaliser). A counter hash instead of a seed stream per element because masks are large (~400k
 * draws per audio batch) and this is ~10× cheaper; the seed still comes from the seed tree. The
 * hash is inlined and compared in the signed int32 domain (x ^ 2³¹ < ceil(threshold) − 2³¹, the same
 * test as the unsigned one), which keeps the loop in integer registers (about 2× faster). The
 * mask is written into `out` when given (every element).
 */
export function dropoutMask(size: number, rate: number, key: string, out?: Float32Array): Float32Array {
  return maskOf(size, dropoutHash(rate, key), out);
}

/** The mask of {@link dropoutMask} from its hash parameters. */
function maskOf(size: number, { base, threshold, keep }: DropoutHash, out?: Float32Array): Float32Array {
  if (out !== undefined && out.length !== size) throw new Error(`dropoutMask: out holds ${out.length} elements, not ${size}`);
  const mask = out ?? new Float32Array(size);
  for (let i = 0; i < size; i++) {
    let x = (base + Math.imul(i, 0x9e3779b9)) | 0;
    x ^= x >>> 16;
    x = Math.imul(x, 0x7feb352d);
    x ^= x >>> 15;
    x = Math.imul(x, 0x846ca68b);
    x ^= x >>> 16;
    mask[i] = (x ^ 0x80000000) < threshold ? 0 : keep;
  }
  return mask;
}

/** The hash parameters of the mask for `rate` and `key` (see {@link dropoutMask}). */
export function dropoutHash(rate: number, key: string): DropoutHash {
  return { base: seedInt(key), threshold: Math.ceil(rate * 4294967296) - 2147483648, keep: 1 / (1 - rate) };
}

/** Layer arguments of SeededDropout. */
export interface SeededDropoutArgs {
  name: string;
  rate: number;
  control: DropoutControl;
}

/** Seeded inverted dropout (see the file comment). Not serialisable: models are rebuilt from config. */
export class SeededDropout extends tf.layers.Layer {
  /** tfjs class name. */
  static readonly className = 'SeededDropout';
  private readonly rate: number;
  private readonly control: DropoutControl;

  constructor(args: SeededDropoutArgs) {
    super({ name: args.name });
    if (!(args.rate >= 0 && args.rate < 1)) {
      throw new Error(`SeededDropout ${args.name}: rate = ${args.rate} must be in [0, 1)`);
    }
    this.rate = args.rate;
    this.control = args.control;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!this.control.training || this.rate === 0) return x;
    const key = seedKey(this.control.stepKey, this.name);
    // On wasm the mask is made and applied in the heap (same bits as the upload and Multiply below).
    const hash = dropoutHash(this.rate, key);
    if (dropoutSimdAvailable(hash)) return dropoutSimd(x, hash);
    // Upload scratch: every dropout layer may share it, since each mask is uploaded before the next is made.
    const mask = maskOf(x.size, hash, uploadScratch('dropout.mask', x.size));
    return tf.mul(x, tf.tensor(mask, x.shape, 'float32'));
  }
}
