/**
 * How each sample's selection evolves over a run, for the "sometimes samples" view: how many epochs each sample was
 * trained in, and how many times its membership flipped (in -> out or out -> in) between consecutive epochs.
 * Three typed arrays of N elements; serialisable for checkpoints.
 */
export class SelectionStats {
  readonly counts: Uint32Array;
  readonly flips: Uint32Array;
  private member: Uint8Array;
  epochs = 0;

  constructor(readonly size: number) {
    this.counts = new Uint32Array(size);
    this.flips = new Uint32Array(size);
    this.member = new Uint8Array(size);
  }

  /** Record one epoch's selection (ids may repeat only if a policy pads; each id counts once per epoch). */
  record(indices: Uint32Array): void {
    const now = new Uint8Array(this.size);
    for (let i = 0; i < indices.length; i++) now[indices[i]!] = 1;
    for (let i = 0; i < this.size; i++) {
      this.counts[i]! += now[i]!;
      if (this.epochs > 0 && now[i] !== this.member[i]) this.flips[i]!++;
    }
    this.member = now;
    this.epochs++;
  }

  /** Share of samples whose membership changed at least once. */
  flippedShare(): number {
    let n = 0;
    for (let i = 0; i < this.size; i++) if (this.flips[i]! > 0) n++;
    return n / this.size;
  }

  /** Histogram: entry e = number of samples selected in exactly e epochs. */
  histogram(): number[] {
    const h = new Array<number>(this.epochs + 1).fill(0);
    for (let i = 0; i < this.size; i++) h[this.counts[i]!]!++;
    return h;
  }

  state(): { epochs: number; counts: string; flips: string; member: string } {
    return { epochs: this.epochs, counts: b64(this.counts), flips: b64(this.flips), member: b64(this.member) };
  }

  static load(size: number, s: { epochs: number; counts: string; flips: string; member: string }): SelectionStats {
    const out = new SelectionStats(size);
    out.epochs = s.epochs;
    out.counts.set(new Uint32Array(unb64(s.counts)));
    out.flips.set(new Uint32Array(unb64(s.flips)));
    out.member = new Uint8Array(unb64(s.member));
    return out;
  }
}

/** FNV-1a hash of a selection (ids and weight bits), to compare selections across runs cheaply. */
export function selectionHash(indices: Uint32Array, weights: Float32Array): string {
  let h = 0x811c9dc5;
  const mix = (bytes: Uint8Array) => {
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193) >>> 0;
  };
  mix(new Uint8Array(indices.buffer, indices.byteOffset, indices.byteLength));
  mix(new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength));
  return h.toString(16).padStart(8, '0');
}

function b64(a: Uint32Array | Uint8Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function unb64(s: string): ArrayBuffer {
  const b = Buffer.from(s, 'base64');
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}
