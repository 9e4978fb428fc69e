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
