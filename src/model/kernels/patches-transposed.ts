/**
 * Transposed im2col for 2-D convolutions: the patch matrix laid out as [taps * inChannels, M]
 * (M = batch * outHeight * outWidth), so that a filter gradient is one plain matrix product
 * `patchesT @ dy` — the only BatchMatMul layout the wasm backend runs through XNNPACK.
 */

/** Geometry of one convolution, in the terms the patch copy needs. */
export interface PatchGeometry {
  batch: number;
  inChannels: number;
  inHeight: number;
  inWidth: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
}

/** Number of float32 elements in the transposed patch matrix of `g`. */
export function patchesSize(g: PatchGeometry): number {
  return g.filterHeight * g.filterWidth * g.inChannels * g.batch * g.outHeight * g.outWidth;
}

/**
 * Writes the transposed patch matrix into `heap` at element offset `dst`.
 *
 * `heap` at element offset `src` holds the input with channels first: [inChannels, batch, H, W].
 * Row (kh, kw, c) of the result, column (n, oh, ow) holds x[c, n, oh*sh + kh - padTop,
 * ow*sw + kw - padLeft], or 0 outside the input. With stride 1 in width every row segment is one
 * contiguous block move (`copyWithin`), so the work is O(rows * outHeight) calls, not O(elements).
 * `src` and `dst` ranges must not overlap.
 */
export function writePatchesTransposed(
  heap: Float32Array,
  src: number,
  dst: number,
  g: PatchGeometry,
): void {
  if (rowsJoinAcrossImages(g)) {
    writeJoinedRows(heap, src, dst, g);
    return;
  }
  const { batch, inChannels, inHeight, inWidth, outHeight, outWidth } = g;
  const { strideHeight: sh, strideWidth: sw, padTop, padLeft } = g;
  const planeIn = inHeight * inWidth;
  let out = dst;
  for (let kh = 0; kh < g.filterHeight; kh++) {
    for (let kw = 0; kw < g.filterWidth; kw++) {
      // Output columns whose input column lies inside [0, inWidth): ow in [owLo, owHi).
      const shift = kw - padLeft;
      const owLo = Math.min(outWidth, Math.max(0, Math.ceil(-shift / sw)));
      const owHi = Math.max(owLo, Math.min(outWidth, Math.floor((inWidth - 1 - shift) / sw) + 1));
      for (let c = 0; c < inChannels; c++) {
        for (let n = 0; n < batch; n++) {
          const plane = src + (c * batch + n) * planeIn;
          for (let oh = 0; oh < outHeight; oh++) {
            const ih = oh * sh + kh - padTop;
            if (ih < 0 || ih >= inHeight) {
              heap.fill(0, out, out + outWidth);
            } else {
              const row = plane + ih * inWidth + shift;
              if (owLo > 0) heap.fill(0, out, out + owLo);
              if (sw === 1) {
                heap.copyWithin(out + owLo, row + owLo, row + owHi);
              } else {
                for (let ow = owLo; ow < owHi; ow++) heap[out + ow] = heap[row + ow * sw];
              }
              if (owHi < outWidth) heap.fill(0, out + owHi, out + outWidth);
            }
            out += outWidth;
          }
        }
      }
    }
  }
}

/**
 * Whether a patch row's segments for consecutive images are consecutive in the input too: a 1-D
 * convolution (one row in and out, one filter row) with stride 1 and as many outputs as inputs
 * ('same'). Then a row (kw, c) is the input's channel-c block shifted by kw − padLeft.
 */
function rowsJoinAcrossImages(g: PatchGeometry): boolean {
  return g.inHeight === 1 && g.outHeight === 1 && g.filterHeight === 1 && g.padTop === 0 && g.strideWidth === 1 && g.outWidth === g.inWidth;
}

/**
 * The same patches as the general loop when {@link rowsJoinAcrossImages}: each row is one block
 * move over all images, after which the |shift| columns that crossed into a neighbouring image (or
 * lie outside the input) are zeroed. The values are the general loop's, so results do not change;
 * the copies drop from rows × images to rows (the audio model's first filter gradient: 6,400 to 400).
 */
function writeJoinedRows(heap: Float32Array, src: number, dst: number, g: PatchGeometry): void {
  const { batch, inChannels, inWidth: width, filterWidth, padLeft } = g;
  const span = batch * width;
  let out = dst;
  for (let kw = 0; kw < filterWidth; kw++) {
    const shift = kw - padLeft;
    // Columns whose input lies inside the image: ow in [lo, hi).
    const lo = Math.min(width, Math.max(0, -shift));
    const hi = Math.max(lo, Math.min(width, width - shift));
    for (let c = 0; c < inChannels; c++) {
      const block = src + c * span;
      // From image 0's first valid column to the last image's last: never outside channel c's block.
      if (hi > lo) heap.copyWithin(out + lo, block + lo + shift, block + (batch - 1) * width + hi + shift);
      for (let n = 0; n < batch; n++) {
        const start = out + n * width;
        for (let ow = 0; ow < lo; ow++) heap[start + ow] = 0;
        for (let ow = hi; ow < width; ow++) heap[start + ow] = 0;
      }
      out += span;
    }
  }
}
