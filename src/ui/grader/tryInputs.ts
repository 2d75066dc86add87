// Hand-written outputs of the grader's try-it pane, and the editor problems its results point at (pure).

/** The non-empty lines of the outputs box, each one output to grade. */
export function tryLines(outputs: string): string[] {
  return outputs.split('\n').filter((l) => l.trim() !== '');
}

/** A problem in the grader's source at a line (and column) of the user's code. */
export interface Problem {
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  message: string;
}

type TryOutcome = { results: { error: string | null }[] } | { error: string } | null;

/**
 * The source locations named by a try-it outcome ("… at line 3, column 9: …"), one per line (the
 * first message wins: every sample usually fails at the same place), in line order.
 */
export function problemsFrom(outcome: TryOutcome): Problem[] {
  if (outcome === null) return [];
  const messages = 'error' in outcome ? [outcome.error] : outcome.results.map((r) => r.error).filter((e): e is string => e !== null);
  const byLine = new Map<number, Problem>();
  for (const message of messages) {
    const m = /line (\d+), column (\d+)/.exec(message);
    if (m === null) continue;
    const line = Number(m[1]);
    if (!byLine.has(line)) byLine.set(line, { line, column: Number(m[2]), message });
  }
  return [...byLine.values()].sort((a, b) => a.line - b.line);
}
