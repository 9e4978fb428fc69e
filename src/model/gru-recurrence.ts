/**
 * The GRU recurrence on plain Float32Arrays, forward and backward (BPTT), with the two matrix
 * products per step supplied by the caller (kernels/step-mat-mul.ts in practice).
 *
 * Why: unrolled into tfjs ops, one GRU step costs ~20 kernel calls forward and ~40 backward, and on
 * wasm per-call overhead, not arithmetic, dominates (and every slice copies its whole input). Here a
 * step is one matMul forward and one backward; the element-wise gate math runs in JS loops, and the
 * products that do not depend on the previous step (input projections, weight gradients) are one
 * large matMul each, outside (fast-gru.ts).
 *
 * Gates (PyTorch's nn.GRU, i.e. Keras reset_after=True), gate order z, r, n along the 3u axis:
 *   xp = x·W + b_in        hp = h·U + b_rec
 *   z = σ(xp_z + hp_z)     r = σ(xp_r + hp_r)     n = tanh(xp_n + r ⊙ hp_n)
 *   h' = (1 - z) ⊙ n + z ⊙ h
 */

/** Sizes of one recurrence: batch B, steps T, units u. */
export interface GruDims {
  batch: number;
  steps: number;
  units: number;
}

/** What the backward pass needs from the forward pass; arrays are [T, B, u], step-major. */
export interface GruTape {
  z: Float32Array;
  r: Float32Array;
  /** hp_n = (h·U)_n + b_rec_n, the recurrent part inside the candidate. */
  hn: Float32Array;
  n: Float32Array;
  /** State entering each step (h_{t-1}; zeros at t = 0). */
  hPrev: Float32Array;
}

/** Allocates a tape for `dims`. */
export function createGruTape(dims: GruDims): GruTape {
  const size = dims.steps * dims.batch * dims.units;
  const make = () => new Float32Array(size);
  return { z: make(), r: make(), hn: make(), n: make(), hPrev: make() };
}

/**
 * Released tapes of this thread, for reuse by the next forward pass (a training step's tape is
 * ~5·B·T·u floats; allocating it per step kept the garbage collector busy). A tape is live from the
 * forward pass that fills it until its gradient has been computed; only then is it released, so two
 * live uses never share one. A tape that is never released (inference, or a layer the gradient does
 * not reach) is simply dropped, as before.
 */
const freeTapes: GruTape[] = [];
/** Tapes handed out by acquireGruTape and not yet released, with their full-capacity arrays. */
const tapeOwners = new WeakMap<GruTape, GruTape>();

/**
 * A tape for `dims` from the released ones (the smallest that fits), or a new one. Its contents are
 * left over from an earlier pass: the forward passes write every element.
 */
export function acquireGruTape(dims: GruDims): GruTape {
  const size = dims.steps * dims.batch * dims.units;
  let best = -1;
  for (let i = 0; i < freeTapes.length; i++) {
    const cap = freeTapes[i].z.length;
    if (cap >= size && (best < 0 || cap < freeTapes[best].z.length)) best = i;
  }
  const full = best < 0 ? createGruTape(dims) : freeTapes.splice(best, 1)[0];
  const view = (a: Float32Array) => (a.length === size ? a : a.subarray(0, size));
  const tape = { z: view(full.z), r: view(full.r), hn: view(full.hn), n: view(full.n), hPrev: view(full.hPrev) };
  tapeOwners.set(tape, full);
  return tape;
}

/** Returns a tape from acquireGruTape for reuse; nothing may read it afterwards. Releasing twice throws. */
export function releaseGruTape(tape: GruTape): void {
  const full = tapeOwners.get(tape);
  if (full === undefined) throw new Error('releaseGruTape: tape was not acquired or is already released');
  tapeOwners.delete(tape);
  freeTapes.push(full);
}

/**
 * Runs the recurrence from h = 0. `xp` is [B, T, 3u] (input projection, input bias included),
 * `recBias` is [3u], `recur(h)` returns h·U as [B, 3u] (it may reuse its result buffer between calls).
 * Returns every state, [B, T, u]; fills `tape` when given.
 */
export function gruForward(
  xp: Float32Array,
  recBias: Float32Array,
  recur: (h: Float32Array) => Float32Array,
  dims: GruDims,
  tape?: GruTape,
): Float32Array {
  const { batch: B, steps: T, units: u } = dims;
  const out = new Float32Array(B * T * u);
  let h = new Float32Array(B * u);
  let next = new Float32Array(B * u);
  for (let t = 0; t < T; t++) {
    const hp = recur(h);
    for (let b = 0; b < B; b++) {
      const xo = (b * T + t) * 3 * u;
      const ho = b * 3 * u;
      const so = b * u;
      const oo = (b * T + t) * u;
      const k0 = (t * B + b) * u;
      for (let j = 0; j < u; j++) {
        const z = 1 / (1 + Math.exp(-(xp[xo + j] + hp[ho + j] + recBias[j])));
        const r = 1 / (1 + Math.exp(-(xp[xo + u + j] + hp[ho + u + j] + recBias[u + j])));
        const hn = hp[ho + 2 * u + j] + recBias[2 * u + j];
        const n = Math.tanh(xp[xo + 2 * u + j] + r * hn);
        const prev = h[so + j];
        const value = (1 - z) * n + z * prev;
        next[so + j] = value;
        out[oo + j] = value;
        if (tape) {
          const k = k0 + j;
          tape.z[k] = z;
          tape.r[k] = r;
          tape.hn[k] = hn;
          tape.n[k] = n;
          tape.hPrev[k] = prev;
        }
      }
    }
    const swap = h;
    h = next;
    next = swap;
  }
  return out;
}

/** Gradients of one backward pass. */
export interface GruGrads {
  /** d loss / d xp, [B, T, 3u] (also the input-bias gradient summed over B and T). */
  dxp: Float32Array;
  /** d loss / d hp per step, [T, B, 3u] (gives the U and recurrent-bias gradients). */
  dhp: Float32Array;
  /** Gradient of the biases, [2, 3u]: row 0 input bias (Σ dxp), row 1 recurrent bias (Σ dhp). */
  dBias: Float32Array;
}

/**
 * Back-propagates `dy` (gradient of every state, [B, T, u]) through the recorded steps.
 * `recurT(g)` returns g·Uᵀ as [B, u] for g of [B, 3u] (it may reuse its result buffer). `out`, when
 * given, supplies the dxp and dhp arrays (every element is written; nothing is read from them).
 */
export function gruBackward(
  dy: Float32Array,
  tape: GruTape,
  recurT: (g: Float32Array) => Float32Array,
  dims: GruDims,
  out?: { dxp: Float32Array; dhp: Float32Array },
): GruGrads {
  const { batch: B, steps: T, units: u } = dims;
  const size = B * T * 3 * u;
  const dxp = out?.dxp ?? new Float32Array(size);
  const dhp = out?.dhp ?? new Float32Array(size);
  if (dxp.length !== size || dhp.length !== size) throw new Error(`gruBackward: out arrays must hold ${size} elements`);
  const dh = new Float32Array(B * u);
  // Bias gradients summed here, in float64, while the values are at hand (a column sum later would
  // be a transpose plus a reduction on wasm). Σ dhp equals Σ dxp except for the n gate (dan·r).
  const sumZ = new Float64Array(u);
  const sumR = new Float64Array(u);
  const sumN = new Float64Array(u);
  const sumNr = new Float64Array(u);
  const { z: tz, r: tr, n: tn, hn: thn, hPrev } = tape;
  for (let t = T - 1; t >= 0; t--) {
    const g = dhp.subarray(t * B * 3 * u, (t + 1) * B * 3 * u);
    for (let b = 0; b < B; b++) {
      const xo = (b * T + t) * 3 * u;
      const go = b * 3 * u;
      const so = b * u;
      const yo = (b * T + t) * u;
      const k0 = (t * B + b) * u;
      for (let j = 0; j < u; j++) {
        const k = k0 + j;
        const grad = dh[so + j] + dy[yo + j];
        const z = tz[k];
        const r = tr[k];
        const n = tn[k];
        const dan = grad * (1 - z) * (1 - n * n);
        const daz = grad * (hPrev[k] - n) * z * (1 - z);
        const dar = dan * thn[k] * r * (1 - r);
        // Carry to h_{t-1} through the z-gate path; the U path is added after the product below.
        dh[so + j] = grad * z;
        dxp[xo + j] = daz;
        dxp[xo + u + j] = dar;
        dxp[xo + 2 * u + j] = dan;
        g[go + j] = daz;
        g[go + u + j] = dar;
        g[go + 2 * u + j] = dan * r;
        sumZ[j] += daz;
        sumR[j] += dar;
        sumN[j] += dan;
        sumNr[j] += dan * r;
      }
    }
    if (t > 0) {
      const back = recurT(g);
      for (let i = 0; i < dh.length; i++) dh[i] += back[i];
    }
  }
  const dBias = new Float32Array(6 * u);
  dBias.set(sumZ, 0);
  dBias.set(sumR, u);
  dBias.set(sumN, 2 * u);
  dBias.set(sumZ, 3 * u);
  dBias.set(sumR, 4 * u);
  dBias.set(sumNr, 5 * u);
  return { dxp, dhp, dBias };
}
