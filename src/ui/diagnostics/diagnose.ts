// What a teacher would point at in a run, computed from the metrics alone (pure; unit-tested).
// Each diagnostic says what is happening, what to try, and which panel to open.
import type { MetricPoint } from '../store';
import { read } from '../charts/keys';

/** A panel a diagnostic's button scrolls to. */
export type DiagnosticTarget = 'grader' | 'run' | 'task' | 'samples';

export interface Diagnostic {
  /** Stable id (for keys and tests). */
  id: 'no-signal' | 'constant-grader' | 'truncation' | 'grader-errors' | 'invalid-grades' | 'possible-hacking';
  severity: 'warn' | 'info';
  message: string;
  /** What to try. */
  advice: string;
  /** The button: its text and the panel it opens. */
  action: { label: string; target: DiagnosticTarget };
}

/** How many of the latest steps the checks look at. */
export const WINDOW = 5;
/** Share of zero-variance groups above which a run has "no signal". */
export const NO_SIGNAL_AT = 0.8;
/** Mean truncated share above which completions "hit the length limit". */
export const TRUNCATION_AT = 0.3;

function mean(xs: number[]): number | null {
  return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
}

function recent(points: MetricPoint[], f: (p: MetricPoint) => number | null): number[] {
  return points
    .slice(-WINDOW)
    .map(f)
    .filter((v): v is number => v !== null);
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

export function diagnose(points: MetricPoint[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const sorted = [...points].sort((a, b) => a.step - b.step);
  const zeroStd = mean(recent(sorted, read.zeroStd));
  const rewards = recent(sorted, read.rewardMean);
  const stds = recent(sorted, read.rewardStd);
  if (zeroStd !== null && zeroStd > NO_SIGNAL_AT) {
    // Which way: the share of groups with any success when the engine reports it, else the mean reward.
    const anySuccess = mean(recent(sorted, read.anySuccess));
    const r = mean(rewards);
    const side = anySuccess !== null ? (anySuccess < 0.5 ? 'never' : 'always') : r === null ? 'the same' : r < 0.5 ? 'never' : 'always';
    out.push({
      id: 'no-signal',
      severity: 'warn',
      message: `${pct(zeroStd)} of groups have the same reward for every completion: the model ${side === 'the same' ? 'scores the same' : `${side} succeeds`}, so there is no signal to learn from.`,
      advice:
        side === 'never'
          ? 'Use an easier task or a grader with partial credit, raise the temperature, or start from an SFT model.'
          : 'Use harder prompts or a stricter grader, or raise the group size.',
      action:
        side === 'never'
          ? { label: 'Give partial credit in the grader', target: 'grader' }
          : { label: 'Pick harder prompts', target: 'task' },
    });
  }
  if (stds.length >= 3 && stds.every((s) => s === 0) && rewards.length >= 3 && rewards.every((r) => r === rewards[0])) {
    out.push({
      id: 'constant-grader',
      severity: 'warn',
      message: `The grader returned ${rewards[0]} for every sample in the last ${rewards.length} steps.`,
      advice: 'Try the grader on a good and a bad output: it probably ignores the completion or the reference field.',
      action: { label: 'Try the grader on a good and a bad output', target: 'grader' },
    });
  }
  const trunc = mean(recent(sorted, read.truncated));
  if (trunc !== null && trunc > TRUNCATION_AT) {
    out.push({
      id: 'truncation',
      severity: 'warn',
      message: `${pct(trunc)} of completions hit the length limit.`,
      advice: 'Raise max_completion_length, or reward ending early.',
      action: { label: 'Raise max_completion_length', target: 'run' },
    });
  }
  const errs = recent(sorted, read.graderErrorRate);
  const lastErr = errs[errs.length - 1];
  if (errs.length >= 2 && lastErr > 0.1 && lastErr > errs[0]) {
    out.push({
      id: 'grader-errors',
      severity: 'warn',
      message: `Grader errors are climbing: ${pct(lastErr)} of samples could not be scored.`,
      advice: 'Open the completions, tick "errors only", and fix the grader for those outputs.',
      action: { label: 'Show the failing completions', target: 'samples' },
    });
  }
  const last = sorted[sorted.length - 1];
  const invalid = last === undefined ? null : read.invalid(last);
  if (invalid !== null && invalid > 0 && !out.some((d) => d.id === 'grader-errors')) {
    out.push({
      id: 'invalid-grades',
      severity: 'info',
      message: `${invalid} of ${read.samples(last) ?? '?'} samples in step ${last.step + 1} got no valid grade (an error, a time-out, NaN or a non-number).`,
      advice:
        'invalid_reward decides what they are worth: "excluded" leaves them out of their group, "zero" counts them as 0 (OpenAI\'s rule). Fix the grader for those outputs if they are not meant to fail.',
      action: { label: 'Show the failing completions', target: 'samples' },
    });
  }
  const evals = sorted.filter((p) => read.validation(p) !== null);
  if (evals.length >= 2) {
    const first = evals[0],
      last = evals[evals.length - 1];
    const dTrain = (read.rewardMean(last) ?? 0) - (read.rewardMean(first) ?? 0);
    const dVal = (read.validation(last) ?? 0) - (read.validation(first) ?? 0);
    if (dTrain > 0.2 && dVal < 0.05) {
      out.push({
        id: 'possible-hacking',
        severity: 'warn',
        message: `Training reward rose by ${dTrain.toFixed(2)} but validation reward by only ${dVal.toFixed(2)}: the model may be gaming the grader.`,
        advice: 'Read some high-reward completions; tighten the grader if they are not really right.',
        action: { label: 'Read the high-reward completions', target: 'samples' },
      });
    }
  }
  return out;
}
