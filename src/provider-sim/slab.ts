// One shared slab of bytes that response bodies and streams are written into, a slice each.
/**
 * Responses and streams are assembled in slices of a shared slab rather than a fresh buffer each: at thousands
 * of them per second, one allocation each is what the garbage collector spends its time on. A slice is never
 * written again once handed out (the offset only moves forward; a full slab is replaced, not reused).
 */
export const SLAB_BYTES = 1 << 20;
let slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
let slabOffset = 0;

export function concatInSlab(parts: Buffer[]): Buffer {
  let total = 0;
  for (const p of parts) total += p.length;
  if (total > SLAB_BYTES >> 3) return Buffer.concat(parts, total);
  const out = slabSlice(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `total` bytes of the slab, not yet written (total ≤ SLAB_BYTES / 8). */
export function slabSlice(total: number): Buffer {
  if (slabOffset + total > SLAB_BYTES) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    slabOffset = 0;
  }
  const out = slab.subarray(slabOffset, slabOffset + total);
  slabOffset = (slabOffset + total + 7) & ~7;
  return out;
}

/**
 * A text as UTF-8 bytes in the slab (a response body, a stream's head, token prefix or tail): one write,
 * where Buffer.from measures the text, takes a piece of its pool and writes; the length comes with it.
 */
export function slabText(text: string): Buffer {
  // UTF-8 takes at most 3 bytes per UTF-16 unit.
  const most = text.length * 3;
  if (most > SLAB_BYTES >> 3) return Buffer.from(text);
  if (slabOffset + most > SLAB_BYTES) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    slabOffset = 0;
  }
  const n = slab.write(text, slabOffset);
  const out = slab.subarray(slabOffset, slabOffset + n);
  slabOffset = (slabOffset + n + 7) & ~7;
  return out;
}
