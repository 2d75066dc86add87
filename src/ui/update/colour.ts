// How a token's log-prob change is drawn: green when the update made it more likely, red when less,
// stronger with |Δ| relative to the largest |Δ| shown (so one group's tokens compare with each other).
// The tints stay light enough (alpha ≤ 0.55 over the page) for the text on them to keep AA contrast
// in both themes.

/** Background colour of a token whose log-prob moved by `delta` nats, when the largest |Δ| shown is `maxAbs`. */
export function deltaColour(delta: number, maxAbs: number): string {
  if (!Number.isFinite(delta) || maxAbs <= 0 || delta === 0) return 'transparent';
  const alpha = 0.1 + 0.45 * Math.min(1, Math.abs(delta) / maxAbs);
  return delta > 0 ? `rgb(22 163 74 / ${alpha.toFixed(3)})` : `rgb(220 38 38 / ${alpha.toFixed(3)})`;
}

/** A token as shown: whitespace made visible (a newline is ⏎, a lone space ·). */
export function showToken(t: string): string {
  if (t === '') return '∅';
  return t.replace(/\n/g, '⏎').replace(/^ $/, '·');
}

/** Δ in nats with a sign, e.g. "+0.031", "−0.120". */
export function signed(x: number, digits = 3): string {
  return `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x).toFixed(digits)}`;
}
