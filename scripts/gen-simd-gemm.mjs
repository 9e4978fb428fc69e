/**
 * Generates the wasm SIMD matrix product of src/model/kernels/simd-gemm.ts and writes its bytes to
 * src/model/kernels/simd-gemm-binary.ts (committed, so users need neither this script nor wabt):
 *
 *   node scripts/gen-simd-gemm.mjs          # rewrite the binary module
 *   node scripts/gen-simd-gemm.mjs --check  # exit 1 when the committed binary differs
 *
 * The function `gemm` computes, for each of `batches` problems, C[M,N] = A[M,K]·B[K,N] (+ bias),
 * optionally followed by ReLU, with N a multiple of 8. Addresses and strides are in bytes: A[i, k]
 * of problem q lies at a + q·aBatch + i·lda + k·aStep (aStep 4 for a row-major A, lda 4 for a
 * transposed one; rows may overlap, which turns a 1-D convolution over a zero-padded input into a
 * product with no im2col copy); columns 8p..8p+7 of B's row k lie at
 * b + p·bPanel + k·bRow; row i of C lies at c + q·cBatch + i·N·4. The microkernel keeps 4 rows × 8
 * columns in eight f32x4 accumulators (more rows spill registers under V8 and ran 2× slower).
 *
 * Each output is acc = bias (or +0), then acc = acc + a_k·b_k for k = 0..K-1 in order, a rounded
 * multiply then a rounded add (no FMA), then max(0, acc) for ReLU as f32x4.pmax(0, acc): the
 * order and rounding of XNNPACK's wasm f32 GEMM/IGEMM, so results are bit-identical to tfjs-wasm's
 * BatchMatMul, Conv2D and FusedConv2D (test/kernels/simd-gemm.test.ts checks this). With `biasLast`
 * the sum starts at +0 and the bias is added after the last product, which is what tfjs computes
 * when it does not fuse (a Conv2D, then Add, then Relu: fused ops are unfused under a gradient).
 * With `accumulate` the sum starts at C's current value instead (C += A·B, no bias): products split
 * over several calls then add up in one chain, in the order of a single call over all of K.
 *
 * The module also exports `dropout`, the seeded dropout mask (src/model/seeded-dropout.ts) applied
 * in place of a mask upload and a Multiply: see dropoutWat.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';

const ROWS = 4;
const ZERO = '(v128.const i32x4 0 0 0 0)';

/** The module's text (WAT). */
export function gemmWat() {
  const L = [];
  const p = (s) => L.push(s);
  p('(module');
  p(' (import "env" "memory" (memory 1))');
  p(' (func (export "gemm") (param $a i32) (param $lda i32) (param $aStep i32) (param $aBatch i32) (param $b i32) (param $bPanel i32) (param $bRow i32)');
  p('  (param $bias i32) (param $biasLast i32) (param $c i32) (param $cBatch i32) (param $batches i32) (param $M i32) (param $N i32) (param $K i32) (param $relu i32)');
  p('  (param $accumulate i32)');
  p('  (local $q i32) (local $aq i32) (local $cq i32) (local $i i32) (local $panel i32) (local $k i32) (local $bptr i32) (local $cptr i32)');
  p('  (local $b0 v128) (local $b1 v128) (local $va v128) (local $init0 v128) (local $init1 v128) (local $last0 v128) (local $last1 v128)');
  for (let r = 0; r < ROWS; r++) p(`  (local $a${r} i32) (local $c${r}0 v128) (local $c${r}1 v128)`);
  // One block of `rows` rows starting at row $i, for the 8 columns of $panel.
  const block = (rows, label) => {
    const cAddress = (r) => `(i32.add (local.get $cq) (i32.add (i32.shl (i32.mul (i32.add (local.get $i) (i32.const ${r})) (local.get $N)) (i32.const 2)) (i32.shl (local.get $panel) (i32.const 5))))`;
    for (let r = 0; r < rows; r++) {
      p(`     (local.set $a${r} (i32.add (local.get $aq) (i32.mul (i32.add (local.get $i) (i32.const ${r})) (local.get $lda))))`);
      // With $accumulate the sum goes on from C's values (C += A·B): one chain of adds across calls.
      p(`     (if (local.get $accumulate) (then (local.set $cptr ${cAddress(r)})`);
      p(`       (local.set $c${r}0 (v128.load (local.get $cptr))) (local.set $c${r}1 (v128.load offset=16 (local.get $cptr))))`);
      p(`      (else (local.set $c${r}0 (local.get $init0)) (local.set $c${r}1 (local.get $init1))))`);
    }
    p('     (local.set $bptr (i32.add (local.get $b) (i32.mul (local.get $panel) (local.get $bPanel))))');
    p('     (local.set $k (local.get $K))');
    p(`     (loop $${label}`);
    p('      (local.set $b0 (v128.load (local.get $bptr))) (local.set $b1 (v128.load offset=16 (local.get $bptr)))');
    for (let r = 0; r < rows; r++) {
      p(`      (local.set $va (v128.load32_splat (local.get $a${r})))`);
      p(`      (local.set $c${r}0 (f32x4.add (local.get $c${r}0) (f32x4.mul (local.get $va) (local.get $b0))))`);
      p(`      (local.set $c${r}1 (f32x4.add (local.get $c${r}1) (f32x4.mul (local.get $va) (local.get $b1))))`);
      p(`      (local.set $a${r} (i32.add (local.get $a${r}) (local.get $aStep)))`);
    }
    p('      (local.set $bptr (i32.add (local.get $bptr) (local.get $bRow)))');
    p(`      (br_if $${label} (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))`);
    for (let r = 0; r < rows; r++) {
      p(`     (local.set $cptr ${cAddress(r)})`);
      p(`     (if (local.get $biasLast) (then (local.set $c${r}0 (f32x4.add (local.get $c${r}0) (local.get $last0))) (local.set $c${r}1 (f32x4.add (local.get $c${r}1) (local.get $last1)))))`);
      p(`     (if (local.get $relu) (then (local.set $c${r}0 (f32x4.pmax ${ZERO} (local.get $c${r}0))) (local.set $c${r}1 (f32x4.pmax ${ZERO} (local.get $c${r}1)))))`);
      p(`     (v128.store (local.get $cptr) (local.get $c${r}0)) (v128.store offset=16 (local.get $cptr) (local.get $c${r}1))`);
    }
  };
  // K = 0 would run the k loop 2^32 times; the caller never passes it, but the kernel must not hang.
  p('  (if (i32.eqz (local.get $K)) (then (return)))');
  p('  (block $qdone (loop $qloop');
  p('   (br_if $qdone (i32.ge_u (local.get $q) (local.get $batches)))');
  p('   (local.set $aq (i32.add (local.get $a) (i32.mul (local.get $q) (local.get $aBatch))))');
  p('   (local.set $cq (i32.add (local.get $c) (i32.mul (local.get $q) (local.get $cBatch))))');
  p('   (local.set $panel (i32.const 0))');
  p('   (block $pdone (loop $ploop');
  p('    (br_if $pdone (i32.ge_u (i32.shl (local.get $panel) (i32.const 3)) (local.get $N)))');
  p(`    (local.set $init0 ${ZERO}) (local.set $init1 ${ZERO})`);
  p('    (if (local.get $bias)');
  p('     (then (local.set $init0 (v128.load (i32.add (local.get $bias) (i32.shl (local.get $panel) (i32.const 5)))))');
  p('           (local.set $init1 (v128.load offset=16 (i32.add (local.get $bias) (i32.shl (local.get $panel) (i32.const 5)))))))');
  // With biasLast the sum starts at +0 and the bias is added after it (tfjs's unfused conv + add).
  p('    (local.set $last0 (local.get $init0)) (local.set $last1 (local.get $init1))');
  p(`    (if (local.get $biasLast) (then (local.set $init0 ${ZERO}) (local.set $init1 ${ZERO})))`);
  p('    (local.set $i (i32.const 0))');
  p('    (block $wide (loop $rows4');
  p(`     (br_if $wide (i32.gt_u (i32.add (local.get $i) (i32.const ${ROWS})) (local.get $M)))`);
  block(ROWS, 'k4');
  p(`     (local.set $i (i32.add (local.get $i) (i32.const ${ROWS})))`);
  p('     (br $rows4)))');
  p('    (block $narrow (loop $rows1');
  p('     (br_if $narrow (i32.ge_u (local.get $i) (local.get $M)))');
  block(1, 'k1');
  p('     (local.set $i (i32.add (local.get $i) (i32.const 1)))');
  p('     (br $rows1)))');
  p('    (local.set $panel (i32.add (local.get $panel) (i32.const 1)))');
  p('    (br $ploop)))');
  p('   (local.set $q (i32.add (local.get $q) (i32.const 1)))');
  p('   (br $qloop)))');
  p(' )');
  dropoutWat(p);
  p(')');
  return L.join('\n');
}

/** The lowbias32 finaliser of `h` (a v128 of four i32 lanes, or an i32 when `scalar`), as in seeded-dropout.ts. */
function hashSteps(p, h, scalar) {
  const [shr, xor, mul, c] = scalar
    ? ['i32.shr_u', 'i32.xor', 'i32.mul', (v) => `(i32.const ${v})`]
    : ['i32x4.shr_u', 'v128.xor', 'i32x4.mul', (v) => `(i32x4.splat (i32.const ${v}))`];
  p(`    (local.set ${h} (${xor} (local.get ${h}) (${shr} (local.get ${h}) (i32.const 16))))`);
  p(`    (local.set ${h} (${mul} (local.get ${h}) ${c(0x7feb352d)}))`);
  p(`    (local.set ${h} (${xor} (local.get ${h}) (${shr} (local.get ${h}) (i32.const 15))))`);
  p(`    (local.set ${h} (${mul} (local.get ${h}) ${c(0x846ca68b | 0)}))`);
  p(`    (local.set ${h} (${xor} (local.get ${h}) (${shr} (local.get ${h}) (i32.const 16))))`);
}

/**
 * `dropout(x, y, n, base, threshold, keep)`: y[i] = x[i]·m_i for n floats, with m_i = 0 when
 * (hash(base + i·0x9e3779b9) ^ 2³¹) < threshold as signed int32, else keep — the mask of
 * seeded-dropout.ts's dropoutMask, four elements per step (i32x4), then one at a time.
 */
function dropoutWat(p) {
  const golden = 0x9e3779b9 | 0;
  p(' (func (export "dropout") (param $x i32) (param $y i32) (param $n i32) (param $base i32) (param $threshold i32) (param $keep f32)');
  p('  (local $i i32) (local $ctr v128) (local $h v128) (local $keepv v128) (local $thr v128) (local $hs i32)');
  p(`  (local.set $ctr (i32x4.add (i32x4.splat (local.get $base)) (i32x4.mul (v128.const i32x4 0 1 2 3) (i32x4.splat (i32.const ${golden})))))`);
  p('  (local.set $keepv (f32x4.splat (local.get $keep)))');
  p('  (local.set $thr (i32x4.splat (local.get $threshold)))');
  p('  (block $wide (loop $four');
  p('   (br_if $wide (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $n)))');
  p('    (local.set $h (local.get $ctr))');
  hashSteps(p, '$h', false);
  // Dropped lanes are all ones after the compare; andnot clears keep there.
  p('    (local.set $h (i32x4.lt_s (v128.xor (local.get $h) (i32x4.splat (i32.const 0x80000000))) (local.get $thr)))');
  p('    (v128.store (local.get $y) (f32x4.mul (v128.load (local.get $x)) (v128.andnot (local.get $keepv) (local.get $h))))');
  p(`    (local.set $ctr (i32x4.add (local.get $ctr) (i32x4.splat (i32.const ${Math.imul(4, golden)}))))`);
  p('    (local.set $x (i32.add (local.get $x) (i32.const 16))) (local.set $y (i32.add (local.get $y) (i32.const 16)))');
  p('    (local.set $i (i32.add (local.get $i) (i32.const 4)))');
  p('    (br $four)))');
  p('  (block $done (loop $one');
  p('   (br_if $done (i32.ge_u (local.get $i) (local.get $n)))');
  p(`    (local.set $hs (i32.add (local.get $base) (i32.mul (local.get $i) (i32.const ${golden}))))`);
  hashSteps(p, '$hs', true);
  p('    (f32.store (local.get $y) (f32.mul (f32.load (local.get $x))');
  p('      (select (f32.const 0) (local.get $keep) (i32.lt_s (i32.xor (local.get $hs) (i32.const 0x80000000)) (local.get $threshold)))))');
  p('    (local.set $x (i32.add (local.get $x) (i32.const 4))) (local.set $y (i32.add (local.get $y) (i32.const 4)))');
  p('    (local.set $i (i32.add (local.get $i) (i32.const 1)))');
  p('    (br $one)))');
  p(' )');
}

/** The module's bytes, compiled from {@link gemmWat} by wabt. */
export async function gemmBinary() {
  const wabt = await wabtInit();
  const module = wabt.parseWat('simd-gemm.wat', gemmWat(), { simd: true });
  try {
    return new Uint8Array(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

/** The TypeScript source that embeds `bytes`. */
export function binarySource(bytes) {
  const base64 = Buffer.from(bytes).toString('base64');
  const lines = base64.match(/.{1,100}/g) ?? [];
  return [
    '/**',
    ' * The wasm SIMD matrix product of simd-gemm.ts, as base64. Generated by scripts/gen-simd-gemm.mjs',
    ' * from its WAT text; do not edit (test/kernels/simd-gemm.test.ts checks that the two agree).',
    ' */',
    '/** Base64 of the module\'s bytes. */',
    'export const SIMD_GEMM_WASM_BASE64 =',
    ...lines.map((line, i) => `  '${line}'${i === lines.length - 1 ? ';' : ' +'}`),
    '',
  ].join('\n');
}

const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'model', 'kernels', 'simd-gemm-binary.ts');
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const source = binarySource(await gemmBinary());
  if (process.argv.includes('--check')) {
    if (readFileSync(target, 'utf8') !== source) {
      console.error(`${target} differs from what scripts/gen-simd-gemm.mjs generates; run it to rewrite`);
      process.exit(1);
    }
  } else {
    writeFileSync(target, source);
    console.log(`wrote ${target}`);
  }
}
