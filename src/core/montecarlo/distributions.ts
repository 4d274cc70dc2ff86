// Token-length and latency distributions: lognormals fitted to a mean and a p95, their moments and draws.
import type { Random } from '../random.js';

/** z of the 95th percentile of the standard normal. */
export const Z95 = 1.6448536269514722;

export interface LogNormal {
  /** Location and scale of ln X. */
  mu: number;
  sigma: number;
  /** E[X] and Var[X] (exact, used for sums of many draws). */
  mean: number;
  variance: number;
  /** Set when the asked p95 could not be matched and the tail was capped. */
  capped?: { askedP95: number; fittedP95: number };
}

/** A lognormal with this mean and scale σ of ln X. */
export function logNormalFromMean(mean: number, sigma: number): LogNormal {
  if (!(mean > 0)) return { mu: -Infinity, sigma: 0, mean: 0, variance: 0 };
  const mu = Math.log(mean) - (sigma * sigma) / 2;
  return { mu, sigma, mean, variance: mean * mean * (Math.exp(sigma * sigma) - 1) };
}

/** A lognormal with this median and scale σ (latencies: the catalog gives a typical, i.e. median, figure). */
export function logNormalFromMedian(median: number, sigma: number): LogNormal {
  return logNormalFromMean(median * Math.exp((sigma * sigma) / 2), sigma);
}

/**
 * The lognormal with this mean and 95th percentile. From mean = e^(μ+σ²/2) and p95 = e^(μ+z·σ):
 * σ²/2 − z·σ + ln(p95/mean) = 0, so σ = z − √(z² − 2·ln(p95/mean)) (the lighter-tailed root). A lognormal
 * cannot have p95/mean above e^(z²/2) ≈ 3.87; beyond that the tail is capped there and `capped` says so.
 * Without a p95, `defaultSigma` sets the spread.
 */
export function fitLogNormal(mean: number, p95: number | undefined, defaultSigma: number): LogNormal {
  if (!(mean > 0)) return logNormalFromMean(0, 0);
  if (p95 === undefined) return logNormalFromMean(mean, defaultSigma);
  if (p95 <= mean) return logNormalFromMean(mean, 0); // p95 at or below the mean: no tail to speak of
  const ratio = Math.log(p95 / mean);
  const disc = Z95 * Z95 - 2 * ratio;
  if (disc < 0) {
    const fitted = logNormalFromMean(mean, Z95);
    return { ...fitted, capped: { askedP95: p95, fittedP95: Math.exp(fitted.mu + Z95 * Z95) } };
  }
  return logNormalFromMean(mean, Z95 - Math.sqrt(disc));
}

export function drawLogNormal(d: LogNormal, rng: Random): number {
  if (d.sigma === 0) return d.mean;
  return Math.exp(d.mu + d.sigma * standardNormal(rng));
}

/** The logarithm of a drawLogNormal draw, from the same random numbers (none when σ is 0). */
export function drawLnOfLogNormal(d: LogNormal, rng: Random): number {
  if (d.sigma === 0) return Math.log(d.mean);
  return d.mu + d.sigma * standardNormal(rng);
}

// The ziggurat of Marsaglia and Tsang ("The Ziggurat Method for Generating Random Variables", J. Stat.
// Softw. 5(8), 2000), 128 layers: a standard normal from one 32-bit draw and a comparison 98.8% of the time,
// where Box–Muller (Random.normal) takes a logarithm, a square root, a sine and a cosine for two. The
// Monte Carlo month draws millions of lognormals; the API simulator keeps Random.normal and its streams.
const ZIG_R = 3.442619855899;
const ZIG_V = 9.91256303526217e-3;
const ZIG_M = 2147483648; // 2^31: the draw is a signed 32-bit integer
const ZIG_K = new Float64Array(128);
const ZIG_W = new Float64Array(128);
const ZIG_F = new Float64Array(128);
{
  let dn = ZIG_R;
  let tn = dn;
  const q = ZIG_V / Math.exp(-0.5 * dn * dn);
  ZIG_K[0] = (dn / q) * ZIG_M;
  ZIG_K[1] = 0;
  ZIG_W[0] = q / ZIG_M;
  ZIG_W[127] = dn / ZIG_M;
  ZIG_F[0] = 1;
  ZIG_F[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(ZIG_V / dn + Math.exp(-0.5 * dn * dn)));
    ZIG_K[i + 1] = (dn / tn) * ZIG_M;
    tn = dn;
    ZIG_F[i] = Math.exp(-0.5 * dn * dn);
    ZIG_W[i] = dn / ZIG_M;
  }
}

/** A standard normal N(0, 1) by the ziggurat (exact: the rare draws outside the rectangles are resolved). */
export function standardNormal(rng: Random): number {
  for (;;) {
    const hz = rng.uint32() | 0;
    const iz = hz & 127;
    const x = hz * ZIG_W[iz]!;
    if (Math.abs(hz) < ZIG_K[iz]!) return x;
    if (iz === 0) {
      // The base layer's tail beyond R: Marsaglia's exponential method.
      let t: number;
      let y: number;
      do {
        t = -Math.log(rng.uniform()) / ZIG_R;
        y = -Math.log(rng.uniform());
      } while (y + y < t * t);
      return hz > 0 ? ZIG_R + t : -ZIG_R - t;
    }
    // The wedge between this layer's rectangle and the curve: accept under the density, else draw again.
    if (ZIG_F[iz]! + rng.uniform() * (ZIG_F[iz - 1]! - ZIG_F[iz]!) < Math.exp(-0.5 * x * x)) return x;
  }
}

/** Quantile q (0..1) of a lognormal, via the normal quantile. */
export function logNormalQuantile(d: LogNormal, q: number): number {
  if (d.sigma === 0) return d.mean;
  return Math.exp(d.mu + d.sigma * normalQuantile(q));
}

/** Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628274631];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/**
 * The sum of `n` independent draws: exact draws while n is small, else one draw of the lognormal with the
 * sum's exact mean n·E[X] and variance n·Var[X] (Fenton–Wilkinson). Like the normal limit it tends to, it
 * keeps the mean and the spread; unlike it, it is never negative and keeps most of the sum's right skew
 * (3·cv + cv³ for a coefficient of variation cv = √(Var[X]/n)/E[X], against the exact skew's 3·cv + cv³·n,
 * the same to within cv³·n, which vanishes as n grows).
 */
export function drawSum(d: LogNormal, n: number, rng: Random, exactBelow: number): number {
  if (n <= 0 || d.mean === 0) return 0;
  if (n < exactBelow) {
    let s = 0;
    for (let i = 0; i < n; i++) s += drawLogNormal(d, rng);
    return s;
  }
  if (d.sigma === 0) return n * d.mean;
  // ln(1 + Var[S]/E[S]²) with Var[S]/E[S]² = (e^σ² − 1)/n.
  const s2 = Math.log1p(d.variance / (d.mean * d.mean * n));
  return Math.exp(Math.log(n * d.mean) - s2 / 2 + Math.sqrt(s2) * standardNormal(rng));
}

/**
 * The standard normal CDF Φ(x), from erfc by W. J. Cody's rational Chebyshev approximation as given in
 * Numerical Recipes (3rd ed., §6.2.2, `erfccheb`): relative error below 1.2e-7 everywhere.
 */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** P(X ≤ x) of a lognormal (a σ of 0 is the constant at its mean). */
export function logNormalCdf(d: LogNormal, x: number): number {
  if (d.sigma === 0) return x >= d.mean ? 1 : 0;
  if (x <= 0) return 0;
  return normalCdf((Math.log(x) - d.mu) / d.sigma);
}
