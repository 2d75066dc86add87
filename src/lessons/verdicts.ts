// The lessons' verdicts: pure functions from a lesson's records (step metrics, completions, grades) to a
// sentence and the figures it quotes. Nothing here is canned: every number comes from the records.
import type { StepMetrics } from '../schema/metrics';
import type { GradedCompletion, LessonRecords, Verdict, VerdictFigure } from './types';

/** Mean of the numbers; null for none. */
export function mean(xs: readonly number[]): number | null {
  return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** The non-null values of one metric, in step order. */
export function series(ms: readonly StepMetrics[], f: (m: StepMetrics) => number | null | undefined): number[] {
  return [...ms]
    .sort((a, b) => a.step - b.step)
    .flatMap((m) => {
      const v = f(m);
      return v === null || v === undefined ? [] : [v];
    });
}

/** Mean of the metric over the last `n` steps that have it (the first `n` with `from: 'head'`). */
export function edgeMean(
  ms: readonly StepMetrics[],
  f: (m: StepMetrics) => number | null | undefined,
  n: number,
  from: 'head' | 'tail' = 'tail',
): number | null {
  const v = series(ms, f);
  return mean(from === 'tail' ? v.slice(Math.max(0, v.length - n)) : v.slice(0, n));
}

/** The last value of the metric; null when no step has it. */
export function last(ms: readonly StepMetrics[], f: (m: StepMetrics) => number | null | undefined): number | null {
  const v = series(ms, f);
  return v.length === 0 ? null : v[v.length - 1];
}

/** Steps averaged at the start and end of a run ("reward at the start / at the end"). */
export const EDGE = 10;

/** "58%" (or "—" for no value). */
export function pct(x: number | null): string {
  return x === null ? '—' : `${Math.round(x * 100)}%`;
}

/** "0.42" (or "—"). */
function num(x: number | null): string {
  return x === null ? '—' : x.toFixed(2);
}

const frac = (key: string, label: string, value: number | null): VerdictFigure => ({ key, label, value, unit: 'fraction' });
const count = (key: string, label: string, value: number | null): VerdictFigure => ({ key, label, value, unit: 'number' });
const evalMean = (m: StepMetrics) => m.eval_reward_mean;
const evalClass = (cls: string) => (m: StepMetrics) => (m.eval_reward_mean === null ? null : (m.eval_reward_by_class?.[cls] ?? null));
const dead = (m: StepMetrics) => m.frac_groups_zero_std;
const reward = (m: StepMetrics) => m.reward_mean;

/** The cake: SFT on labels right `labelAccuracy` of the time, and GRPO from the same start (phases `sft`, `grpo`). */
export function cakeVerdict(r: LessonRecords, labelAccuracy: number): Verdict {
  const sft = r.train.sft ?? [];
  const grpo = r.train.grpo ?? [];
  const f = {
    sftStart: edgeMean(sft, evalMean, 1, 'head'),
    sft: last(sft, evalMean),
    grpo: last(grpo, evalMean),
    sftCarry: last(sft, evalClass('carry')),
    grpoCarry: last(grpo, evalClass('carry')),
  };
  const past = f.grpo !== null && f.grpo > labelAccuracy;
  return {
    text:
      `The labels are right ${pct(labelAccuracy)} of the time. SFT went from ${pct(f.sftStart)} to ${pct(f.sft)} on held-out ` +
      `problems (carry class ${pct(f.sftCarry)}); GRPO from the same start ended at ${pct(f.grpo)} (carry class ${pct(f.grpoCarry)}), ` +
      (past
        ? 'past what the labels allow: the grader taught what the labels could not.'
        : 'not past the labels yet: more steps would tell.'),
    figures: [
      frac('label_accuracy', 'label accuracy', labelAccuracy),
      frac('sft_start', 'SFT held-out reward, first evaluation', f.sftStart),
      frac('sft_final', 'SFT held-out reward, last evaluation', f.sft),
      frac('grpo_final', 'GRPO held-out reward, last evaluation', f.grpo),
      frac('sft_carry', 'SFT carry class, last evaluation', f.sftCarry),
      frac('grpo_carry', 'GRPO carry class, last evaluation', f.grpoCarry),
    ],
  };
}

/** No signal: an impossible grader (phase `impossible`), then the solvable task's own grader (phase `solvable`). */
export function noSignalVerdict(r: LessonRecords): Verdict {
  const before = r.train.impossible ?? [];
  const after = r.train.solvable ?? [];
  const f = {
    deadBefore: mean(series(before, dead)),
    deadAfter: mean(series(after, dead)),
    rewardBefore: mean(series(before, reward)),
    startAfter: edgeMean(after, reward, EDGE, 'head'),
    endAfter: edgeMean(after, reward, EDGE),
  };
  return {
    text:
      `With the impossible grader ${pct(f.deadBefore)} of groups had zero reward spread (mean reward ${num(f.rewardBefore)}): ` +
      `no group carried a gradient. On the solvable task ${pct(f.deadAfter)} were dead, and the reward went from ${num(f.startAfter)} ` +
      `(first ${EDGE} steps) to ${num(f.endAfter)} (last ${EDGE}).`,
    figures: [
      frac('dead_before', 'dead groups, impossible grader', f.deadBefore),
      frac('dead_after', 'dead groups, solvable task', f.deadAfter),
      count('reward_before', 'mean reward, impossible grader', f.rewardBefore),
      count('reward_after_start', `solvable task reward, first ${EDGE} steps`, f.startAfter),
      count('reward_after_end', `solvable task reward, last ${EDGE} steps`, f.endAfter),
    ],
  };
}

/** Mean of the rewards that are numbers. */
function meanReward(xs: readonly { reward: number | null }[]): number | null {
  return mean(xs.flatMap((x) => (x.reward === null ? [] : [x.reward])));
}

/** Reward hacking: sloppy run (`sloppy`), its last completions graded honestly (`honest`), the fixed run (`fixed`). */
export function hackingVerdict(r: LessonRecords): Verdict {
  const sloppy = r.train.sloppy ?? [];
  const f = {
    hacked: meanReward(r.lastSamples.sloppy ?? []),
    honest: meanReward(r.grades.honest ?? []),
    lenStart: edgeMean(sloppy, (m) => m.completion_length_mean, 1, 'head'),
    lenEnd: last(sloppy, (m) => m.completion_length_mean),
    fixed: edgeMean(r.train.fixed ?? [], reward, EDGE),
  };
  return {
    text:
      `On the sloppy run's last completions the sloppy grader paid ${num(f.hacked)} on average; the honest grader gave the ` +
      `same completions ${num(f.honest)}. Answers grew from ${num(f.lenStart)} to ${num(f.lenEnd)} tokens. With the fixed grader ` +
      `the run's reward over its last ${EDGE} steps was ${num(f.fixed)}.`,
    figures: [
      count('hacked_reward', 'sloppy grader, last completions', f.hacked),
      count('honest_reward', 'honest grader, same completions', f.honest),
      count('length_start', 'completion length, first step (tokens)', f.lenStart),
      count('length_end', 'completion length, last step (tokens)', f.lenEnd),
      count('fixed_reward', `fixed grader run, last ${EDGE} steps`, f.fixed),
    ],
  };
}

/** Counts of rewards in `bins` equal bins over [0, 1] (rewards outside are clamped to the end bins). */
export function histogram(rewards: readonly number[], bins: number): number[] {
  const out = new Array<number>(bins).fill(0);
  for (const x of rewards) out[Math.min(bins - 1, Math.max(0, Math.floor(x * bins)))]++;
  return out;
}

/** Per group: the standard deviation (population) of its valid rewards; null for a group with none. */
export function groupSpreads(gs: readonly GradedCompletion[]): (number | null)[] {
  const groups = new Map<number, number[]>();
  for (const g of gs) {
    const list = groups.get(g.group) ?? [];
    if (g.reward !== null) list.push(g.reward);
    groups.set(g.group, list);
  }
  return [...groups.keys()]
    .sort((a, b) => a - b)
    .map((k) => {
      const xs = groups.get(k) ?? [];
      const m = mean(xs);
      return m === null ? null : Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / xs.length);
    });
}

/** Grader prototyping: fresh completions (phase `try`) scored by the grader in the editor. */
export function graderVerdict(r: LessonRecords): Verdict {
  const gs = r.grades.try ?? [];
  const rewards = gs.flatMap((g) => (g.reward === null ? [] : [g.reward]));
  const spreads = groupSpreads(gs).flatMap((s) => (s === null ? [] : [s]));
  const f = {
    n: gs.length,
    errors: gs.filter((g) => g.reward === null).length,
    mean: mean(rewards),
    lo: rewards.length ? Math.min(...rewards) : null,
    hi: rewards.length ? Math.max(...rewards) : null,
    dead: mean(spreads.map((s) => (s === 0 ? 1 : 0))),
    spread: mean(spreads),
  };
  return {
    text:
      `${f.n} fresh completions, ${f.errors} unscorable. Mean reward ${num(f.mean)}, from ${num(f.lo)} to ${num(f.hi)}. ` +
      `${pct(f.dead)} of groups have zero spread (mean within-group spread ${num(f.spread)}): ` +
      (f.dead === 1 ? 'this grader would give GRPO nothing to learn from.' : 'those groups would carry no gradient; the rest would.'),
    figures: [
      count('samples', 'completions graded', f.n),
      count('errors', 'unscorable', f.errors),
      count('mean', 'mean reward', f.mean),
      count('lowest', 'lowest reward', f.lo),
      count('highest', 'highest reward', f.hi),
      frac('dead_groups', 'groups with zero spread', f.dead),
      count('spread', 'mean within-group spread', f.spread),
    ],
  };
}

/** Group size: the same completions per step as 16 groups of 2 (`g2`) or 4 groups of 8 (`g8`). */
export function groupSizeVerdict(r: LessonRecords): Verdict {
  const g2 = r.train.g2 ?? [];
  const g8 = r.train.g8 ?? [];
  const f = {
    dead2: mean(series(g2, dead)),
    dead8: mean(series(g8, dead)),
    val2: last(g2, evalMean),
    val8: last(g8, evalMean),
    start: edgeMean(g8, evalMean, 1, 'head'),
  };
  return {
    text:
      `With groups of 2, ${pct(f.dead2)} of groups had zero spread and taught nothing; with groups of 8, ${pct(f.dead8)}. ` +
      `From ${pct(f.start)} on held-out problems, groups of 2 ended at ${pct(f.val2)} and groups of 8 at ${pct(f.val8)}.`,
    figures: [
      frac('dead_g2', 'dead groups, G = 2', f.dead2),
      frac('dead_g8', 'dead groups, G = 8', f.dead8),
      frac('start', 'held-out reward at the start', f.start),
      frac('final_g2', 'held-out reward, G = 2, last evaluation', f.val2),
      frac('final_g8', 'held-out reward, G = 8, last evaluation', f.val8),
    ],
  };
}
