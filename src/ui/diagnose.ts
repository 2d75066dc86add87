// What a teacher would point at in a run, computed from the metrics alone (pure; unit-tested).
// Each diagnostic says what is happening and what to try.
import { METRIC } from './metricKeys';
import type { MetricPoint } from './store';

export interface Diagnostic {
  /** Stable id (for keys and tests). */
  id: 'no-signal' | 'constant-grader' | 'truncation' | 'grader-errors' | 'possible-hacking';
  severity: 'warn' | 'info';
  message: string;
  /** What to try. */
  advice: string;
}

/** How many of the latest steps the checks look at. */
export const WINDOW = 5;

function value(p: MetricPoint, key: string): number | null {
  const v = p[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function mean(xs: number[]): number | null {
  return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
}

function recent(points: MetricPoint[], key: string): number[] {
  return points.slice(-WINDOW).map((p) => value(p, key)).filter((v): v is number => v !== null);
}

export function diagnose(points: MetricPoint[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const sorted = [...points].sort((a, b) => a.step - b.step);
  const zeroStd = mean(recent(sorted, METRIC.zeroStdFraction));
  const rewards = recent(sorted, METRIC.rewardMean);
  const stds = recent(sorted, METRIC.rewardStd);
  if (zeroStd !== null && zeroStd > 0.8) {
    const r = mean(rewards);
    const side = r === null ? 'the same' : r < 0.5 ? 'never' : 'always';
    out.push({ id: 'no-signal', severity: 'warn',
      message: `${Math.round(zeroStd * 100)}% of groups have the same reward for every completion: the model ${side === 'the same' ? 'scores the same' : `${side} succeeds`}, so there is no signal to learn from.`,
      advice: side === 'never' ? 'Use an easier task or a grader with partial credit, raise the temperature, or start from an SFT model.'
        : 'Use harder prompts or a stricter grader, or raise the group size.' });
  }
  if (stds.length >= 3 && stds.every((s) => s === 0) && rewards.length >= 3 && rewards.every((r) => r === rewards[0])) {
    out.push({ id: 'constant-grader', severity: 'warn',
      message: `The grader returned ${rewards[0]} for every sample in the last ${rewards.length} steps.`,
      advice: 'Try the grader on a good and a bad output: it probably ignores the completion or the reference field.' });
  }
  const trunc = mean(recent(sorted, METRIC.truncatedFraction));
  if (trunc !== null && trunc > 0.3) {
    out.push({ id: 'truncation', severity: 'warn',
      message: `${Math.round(trunc * 100)}% of completions hit the length limit.`,
      advice: 'Raise max_completion_length, or reward ending early.' });
  }
  const errs = recent(sorted, METRIC.graderErrorFraction);
  if (errs.length >= 2 && errs[errs.length - 1] > 0.1 && errs[errs.length - 1] > errs[0]) {
    out.push({ id: 'grader-errors', severity: 'warn',
      message: `Grader errors are climbing: ${Math.round(errs[errs.length - 1] * 100)}% of samples could not be scored.`,
      advice: 'Open the samples table, filter on errors, and fix the grader for those outputs.' });
  }
  const evals = sorted.filter((p) => value(p, METRIC.validationReward) !== null);
  if (evals.length >= 2) {
    const first = evals[0], last = evals[evals.length - 1];
    const dTrain = (value(last, METRIC.rewardMean) ?? 0) - (value(first, METRIC.rewardMean) ?? 0);
    const dVal = (value(last, METRIC.validationReward) ?? 0) - (value(first, METRIC.validationReward) ?? 0);
    if (dTrain > 0.2 && dVal < 0.05) {
      out.push({ id: 'possible-hacking', severity: 'warn',
        message: `Training reward rose by ${dTrain.toFixed(2)} but validation reward by only ${dVal.toFixed(2)}: the model may be gaming the grader.`,
        advice: 'Read some high-reward completions; tighten the grader if they are not really right.' });
    }
  }
  return out;
}
