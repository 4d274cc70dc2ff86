// "Did you mean …?" for model ids, keys and options: the closest candidate by edit distance.

export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + cost);
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** Candidates close enough to `input` to be a likely typo, best first. */
export function closest(input: string, candidates: Iterable<string>, max = 3): string[] {
  const needle = input.toLowerCase();
  const scored: Array<[string, number]> = [];
  for (const c of candidates) {
    const hay = c.toLowerCase();
    let d = editDistance(needle, hay);
    // A part of a name is a strong hint ("sonnet" → "claude-sonnet-4-5"); a longer input that merely starts
    // with a short id ("gpt-4o-mnii" ⊃ "gpt-4o") is not: plain edit distance ranks those.
    if (hay.includes(needle)) d = Math.min(d, 1 + Math.abs(hay.length - needle.length) / 10);
    const limit = Math.max(2, Math.floor(Math.max(needle.length, 4) / 3));
    if (d <= limit) scored.push([c, d]);
  }
  scored.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  return scored.slice(0, max).map(([c]) => c);
}
