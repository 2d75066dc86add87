// "Did you mean …?" for mistyped field names: the known name at the smallest edit distance.

/** Levenshtein distance between two strings. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** The closest of `names` to `name` (case-insensitive, '-' treated as '_'), or null if none is close. */
export function nearestName(name: string, names: readonly string[]): string | null {
  const n = name.toLowerCase().replace(/-/g, '_');
  let best: string | null = null;
  let bestD = Infinity;
  for (const c of names) {
    const d = editDistance(n, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= Math.max(2, Math.floor(n.length / 3)) ? best : null;
}
