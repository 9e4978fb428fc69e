/**
 * The GRU recurrence on plain Float32Arrays, forward and backward (BPTT), with the two matrix
 * products per step supplied by the caller (tfjs matMul in practice).
 *
 * Why: unrolled into tfjs ops, one GRU step costs ~20 kernel calls forward and ~40 backward, and on
 * wasm per-call overhead, not arithmetic, dominates (and every slice copies its whole input). Here a
 * step is one matMul forward and one backward; the element-wise gate math runs in JS loops.
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

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** Allocates a tape for `dims`. */
export function createGruTape(dims: GruDims): GruTape {
  const size = dims.steps * dims.batch * dims.units;
  const make = () => new Float32Array(size);
  return { z: make(), r: make(), hn: make(), n: make(), hPrev: make() };
}

/**
 * Runs the recurrence from h = 0. `xp` is [B, T, 3u] (input projection, input bias included),
 * `recBias` is [3u], `recur(h)` returns h·U as [B, 3u]. Returns every state, [B, T, u]; fills `tape`
 * when given.
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
  for (let t = 0; t < T; t++) {
    const hp = recur(h);
    const next = new Float32Array(B * u);
    for (let b = 0; b < B; b++) {
      const xo = (b * T + t) * 3 * u;
      const ho = b * 3 * u;
      for (let j = 0; j < u; j++) {
        const z = sigmoid(xp[xo + j] + hp[ho + j] + recBias[j]);
        const r = sigmoid(xp[xo + u + j] + hp[ho + u + j] + recBias[u + j]);
        const hn = hp[ho + 2 * u + j] + recBias[2 * u + j];
        const n = Math.tanh(xp[xo + 2 * u + j] + r * hn);
        const prev = h[b * u + j];
        const value = (1 - z) * n + z * prev;
        next[b * u + j] = value;
        out[(b * T + t) * u + j] = value;
        if (tape) {
          const k = (t * B + b) * u + j;
          tape.z[k] = z;
          tape.r[k] = r;
          tape.hn[k] = hn;
          tape.n[k] = n;
          tape.hPrev[k] = prev;
        }
      }
    }
    h = next;
  }
  return out;
}

/** Gradients of one backward pass. */
export interface GruGrads {
  /** d loss / d xp, [B, T, 3u] (also the input-bias gradient summed over B and T). */
  dxp: Float32Array;
  /** d loss / d hp per step, [T, B, 3u] (gives the U and recurrent-bias gradients). */
  dhp: Float32Array;
}

/**
 * Back-propagates `dy` (gradient of every state, [B, T, u]) through the recorded steps.
 * `recurT(g)` returns g·Uᵀ as [B, u] for g of [B, 3u].
 */
export function gruBackward(
  dy: Float32Array,
  tape: GruTape,
  recurT: (g: Float32Array) => Float32Array,
  dims: GruDims,
): GruGrads {
  const { batch: B, steps: T, units: u } = dims;
  const dxp = new Float32Array(B * T * 3 * u);
  const dhp = new Float32Array(T * B * 3 * u);
  let dh = new Float32Array(B * u);
  for (let t = T - 1; t >= 0; t--) {
    const g = dhp.subarray(t * B * 3 * u, (t + 1) * B * 3 * u);
    const carry = new Float32Array(B * u);
    for (let b = 0; b < B; b++) {
      const xo = (b * T + t) * 3 * u;
      const go = b * 3 * u;
      for (let j = 0; j < u; j++) {
        const k = (t * B + b) * u + j;
        const grad = dh[b * u + j] + dy[(b * T + t) * u + j];
        const z = tape.z[k];
        const r = tape.r[k];
        const n = tape.n[k];
        const dn = grad * (1 - z);
        const dz = grad * (tape.hPrev[k] - n);
        carry[b * u + j] = grad * z;
        const dan = dn * (1 - n * n);
        const daz = dz * z * (1 - z);
        const dar = dan * tape.hn[k] * r * (1 - r);
        dxp[xo + j] = daz;
        dxp[xo + u + j] = dar;
        dxp[xo + 2 * u + j] = dan;
        g[go + j] = daz;
        g[go + u + j] = dar;
        g[go + 2 * u + j] = dan * r;
      }
    }
    const back = recurT(g);
    for (let i = 0; i < carry.length; i++) carry[i] += back[i];
    dh = carry;
  }
  return { dxp, dhp };
}
