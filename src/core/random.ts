// The one seeded pseudo-random source (xoshiro128**) of aip, for the Monte Carlo month and the API simulator
// alike, with the draws they need: uniform, integer, normal, lognormal, Poisson. Same seed → same sequence
// on every machine (32-bit integer maths only). Not for secrets.

export interface Random {
  /** Uniform on the open interval (0, 1): never 0, so logarithms are safe. */
  uniform(): number;
  /** The generator's next 32 random bits, as an integer in [0, 2^32) (what uniform() scales). */
  uint32(): number;
  /** Standard normal N(0, 1). */
  normal(): number;
  /** Poisson with mean `mean` (≥ 0). */
  poisson(mean: number): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  /** A log-normal multiplier with median 1 and spread sigma (jitter around a typical figure). */
  logNormal(sigma: number): number;
}

/** xoshiro128** seeded through splitmix32, so nearby seeds give unrelated streams. */
export function seededRandom(seed: number): Random {
  return new Xoshiro128(seed);
}

/**
 * The generator's state in one object with its methods on the prototype: the simulator makes one per
 * request, and nine closures each time were a measurable share of its allocation.
 */
class Xoshiro128 implements Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  // Box–Muller gives two normals per pair of uniforms; the second is kept for the next call.
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number) {
    let s = (Math.trunc(seed) >>> 0) ^ 0x9e3779b9;
    const splitmix = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = splitmix();
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  uniform(): number {
    return (this.uint32() + 0.5) / 4294967296;
  }

  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniform()));
    const theta = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(theta);
    this.hasSpare = true;
    return r * Math.cos(theta);
  }

  poisson(mean: number): number {
    if (!(mean > 0)) return 0;
    // The generator itself, not a closure over it: the Monte Carlo month draws tens of thousands of these.
    if (mean < 30) return poissonInversion(mean, this);
    return poissonPtrs(mean, this);
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.uniform() * (max - min + 1));
  }

  logNormal(sigma: number): number {
    return Math.exp(sigma * this.normal());
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Sequential search of the CDF: exact, and cheap while the mean is small. */
function poissonInversion(mean: number, rng: Xoshiro128): number {
  let k = 0;
  let p = Math.exp(-mean);
  let cdf = p;
  const u = rng.uniform();
  while (u > cdf && k < 1000) {
    k += 1;
    p *= mean / k;
    cdf += p;
  }
  return k;
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Hörmann's transformed rejection (PTRS, 1993): exact, O(1) expected time for mean ≥ 10. */
function poissonPtrs(mean: number, rng: Xoshiro128): number {
  const slam = Math.sqrt(mean);
  const loglam = Math.log(mean);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rng.uniform() - 0.5;
    const v = rng.uniform();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -mean + k * loglam - logFactorial(k)) return k;
  }
}

/** ln k! — exact below 10, Stirling's series above (error < 1e-10 there). */
function logFactorial(k: number): number {
  if (k < 10) {
    let f = 0;
    for (let i = 2; i <= k; i++) f += Math.log(i);
    return f;
  }
  const k2 = k * k;
  return (k + 0.5) * Math.log(k) - k + LOG_SQRT_2PI + (1 / 12 - 1 / (360 * k2)) / k;
}

/** Mixes a seed with a sequence number so each request gets its own reproducible stream. */
export function deriveSeed(seed: number, n: number): number {
  let h = (seed ^ Math.imul(n + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** FNV-1a of a string: a stable seed from text (embedding vectors depend only on their input). */
export function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
