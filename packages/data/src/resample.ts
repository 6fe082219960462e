/**
 * Separable resampling of uint8 HWC images with a triangle (linear) filter that widens when downscaling
 * (antialiased, like PIL's bilinear), plus centre crops. Pure TypeScript over typed arrays.
 */

/** Per-output-pixel filter taps along one axis. */
interface Taps {
  start: Int32Array;
  count: Int32Array;
  weights: Float32Array;
  stride: number;
}

/** Taps mapping the input span [offset, offset + length) of an axis of `inSize` pixels onto `outSize` pixels. */
function taps(inSize: number, offset: number, length: number, outSize: number): Taps {
  const scale = length / outSize;
  const support = Math.max(scale, 1);
  const stride = Math.ceil(support) * 2 + 2;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float32Array(outSize * stride);
  for (let i = 0; i < outSize; i++) {
    const centre = offset + (i + 0.5) * scale;
    const lo = Math.max(0, Math.floor(centre - support));
    const hi = Math.min(inSize, Math.ceil(centre + support));
    let total = 0;
    let n = 0;
    for (let j = lo; j < hi && n < stride; j++, n++) {
      const w = Math.max(0, 1 - Math.abs((j + 0.5 - centre) / support));
      weights[i * stride + n] = w;
      total += w;
    }
    if (total === 0) {
      // Degenerate span (shorter than a pixel at the border): take the nearest pixel.
      const j = Math.min(inSize - 1, Math.max(0, Math.floor(centre)));
      start[i] = j;
      count[i] = 1;
      weights[i * stride] = 1;
      continue;
    }
    for (let k = 0; k < n; k++) weights[i * stride + k]! /= total;
    start[i] = lo;
    count[i] = n;
  }
  return { start, count, weights, stride };
}

/** A crop box in input pixel units (fractional allowed). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Resample the `box` of `src` (h x w x c uint8) to outH x outW, writing into `dst` at byte `dstOffset`.
 * `flip` mirrors the output horizontally.
 */
export function resampleInto(
  src: Uint8Array,
  srcOffset: number,
  h: number,
  w: number,
  c: number,
  box: Box,
  outH: number,
  outW: number,
  dst: Uint8Array,
  dstOffset: number,
  flip = false,
): void {
  const tx = taps(w, box.x, box.width, outW);
  const ty = taps(h, box.y, box.height, outH);
  let y0 = h;
  let y1 = 0;
  for (let i = 0; i < outH; i++) {
    y0 = Math.min(y0, ty.start[i]!);
    y1 = Math.max(y1, ty.start[i]! + ty.count[i]!);
  }
  const rowLen = outW * c;
  const tmp = new Float32Array((y1 - y0) * rowLen);
  for (let y = y0; y < y1; y++) {
    const row = srcOffset + y * w * c;
    const t = (y - y0) * rowLen;
    for (let x = 0; x < outW; x++) {
      const s = tx.start[x]!;
      const n = tx.count[x]!;
      const wb = x * tx.stride;
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let k = 0; k < n; k++) acc += tx.weights[wb + k]! * src[row + (s + k) * c + ch]!;
        tmp[t + x * c + ch] = acc;
      }
    }
  }
  for (let y = 0; y < outH; y++) {
    const s = ty.start[y]! - y0;
    const n = ty.count[y]!;
    const wb = y * ty.stride;
    const out = dstOffset + y * rowLen;
    for (let x = 0; x < outW; x++) {
      const ox = out + (flip ? outW - 1 - x : x) * c;
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let k = 0; k < n; k++) acc += ty.weights[wb + k]! * tmp[(s + k) * rowLen + x * c + ch]!;
        const v = Math.round(acc);
        dst[ox + ch] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
  }
}

export interface Image {
  data: Uint8Array;
  height: number;
  width: number;
  channels: number;
}

/** Scale `img` so its shorter side is `side` pixels (aspect ratio kept, antialiased). */
export function resizeShorter(img: Image, side: number): Image {
  const { height: h, width: w, channels: c } = img;
  if (Math.min(h, w) === side) return img;
  const outH = h <= w ? side : Math.max(1, Math.round((h * side) / w));
  const outW = w < h ? side : Math.max(1, Math.round((w * side) / h));
  const data = new Uint8Array(outH * outW * c);
  resampleInto(img.data, 0, h, w, c, { x: 0, y: 0, width: w, height: h }, outH, outW, data, 0);
  return { data, height: outH, width: outW, channels: c };
}

/** The centred `size` x `size` square of `img` (which must be at least that large). */
export function centreCrop(img: Image, size: number): Image {
  const { height: h, width: w, channels: c } = img;
  if (h === size && w === size) return img;
  const top = Math.floor((h - size) / 2);
  const left = Math.floor((w - size) / 2);
  const data = new Uint8Array(size * size * c);
  for (let y = 0; y < size; y++) {
    const from = ((top + y) * w + left) * c;
    data.set(img.data.subarray(from, from + size * c), y * size * c);
  }
  return { data, height: size, width: size, channels: c };
}
