// The charts of the page: what each one draws and the sentence a teacher would say about it (pure data).
import type { MetricPoint } from '../store';
import { itemClassNames, read, subGraderNames } from './keys';
import { columnKey, toRows, type ChartRun, type Row, type Series } from './series';

export interface ChartDef {
  /** Stable id: the chart's data-chart attribute. */
  id: string;
  title: string;
  /** One line: what it shows and what to look for. */
  explain: string;
  /** The series to draw, given every run's points (per-grader series depend on the data). */
  series: (points: readonly MetricPoint[]) => Series[];
  /** Fixed y range, or undefined to fit the data. */
  domain?: [number, number];
  /** Stack the series as areas (parts of a whole) instead of drawing lines. */
  stacked?: boolean;
  /** Which runs it draws: RL metrics mean nothing for an SFT run. */
  kinds: readonly ChartRun['kind'][];
}

const both = ['rft', 'sft'] as const;
const rft = ['rft'] as const;

export const CHARTS: readonly ChartDef[] = [
  {
    id: 'by-class',
    title: 'Validation reward by class',
    kinds: both,
    domain: [0, 1],
    explain:
      'Greedy validation reward on each kind of problem the task names. Arithmetic: on "carry" sums most SFT labels are wrong, so SFT stays low there while RFT, rewarded for the true answer, climbs.',
    series: (pts) => itemClassNames(pts).map((c) => ({ name: c, read: (p: MetricPoint) => read.validationOf(p, c) })),
  },
  {
    id: 'per-grader',
    title: 'Reward per sub-grader',
    kinds: rft,
    domain: [0, 1],
    explain: 'Each part of a multi grader on its own: see which criterion the model is learning and which it ignores.',
    series: (pts) => subGraderNames(pts).map((n) => ({ name: n, read: (p: MetricPoint) => read.subGrader(p, n) })),
  },
  {
    id: 'zero-std',
    title: 'Groups with no signal',
    kinds: rft,
    domain: [0, 1],
    explain:
      'Share of groups where every completion got the same reward: they teach nothing. If this stays at 1.0, every group scores the same: no signal.',
    series: () => [
      { name: 'zero-variance groups', read: read.zeroStd },
      { name: 'groups with a success', read: read.anySuccess },
    ],
  },
  {
    id: 'kl',
    title: 'KL to the reference',
    kinds: rft,
    explain:
      'How far the policy has moved from where it started. A steady climb is normal; a jump means the update was too big (lower the learning rate).',
    series: () => [{ name: 'KL', read: read.kl }],
  },
  {
    id: 'entropy',
    title: 'Entropy',
    kinds: rft,
    explain:
      'How unsure the model is about each next token. Falling slowly is learning; collapsing to ~0 early means it stopped exploring (raise the temperature).',
    series: () => [{ name: 'entropy', read: read.entropy }],
  },
  {
    id: 'length',
    title: 'Completion length',
    kinds: rft,
    explain: 'Tokens per completion (mean and longest). If the longest sits at max tokens, answers are being cut off: see truncation.',
    series: () => [
      { name: 'mean', read: read.lengthMean },
      { name: 'max', read: read.lengthMax },
    ],
  },
  {
    id: 'truncation',
    title: 'Truncated completions',
    kinds: rft,
    domain: [0, 1],
    explain: 'Share of completions that hit the length limit. Above ~0.3 the grader mostly sees unfinished answers.',
    series: () => [{ name: 'truncated', read: read.truncated }],
  },
  {
    id: 'clip',
    title: 'Clip fraction',
    kinds: rft,
    explain:
      'Share of tokens whose probability ratio left the trust region (low / high side). Large values mean the steps are too big for the clip.',
    series: () => [
      { name: 'low', read: read.clipLow },
      { name: 'high', read: read.clipHigh },
      { name: 'region', read: read.clipRegion },
    ],
  },
  {
    id: 'loss',
    title: 'Loss',
    kinds: both,
    explain:
      'The training loss. For RFT it hovers near zero by design (advantages average to 0), so read the reward instead; for SFT it should fall.',
    series: () => [
      { name: 'policy loss', read: read.policyLoss },
      { name: 'SFT loss', read: read.sftLoss },
    ],
  },
  {
    id: 'tokens',
    title: 'Tokens per second',
    kinds: rft,
    explain: 'Sampling speed. It drops when completions get longer or the backend is slow (try webgpu or wasm).',
    series: () => [{ name: 'tokens/s', read: read.tokensPerS }],
  },
  {
    id: 'time',
    title: 'Where a step’s time goes',
    kinds: both,
    stacked: true,
    explain: 'Milliseconds per step spent sampling, grading and training. A tall grading band means a slow grader.',
    series: () => [
      { name: 'sampling', read: read.samplingMs },
      { name: 'grading', read: read.gradingMs },
      { name: 'training', read: read.trainingMs },
    ],
  },
];

/** The runs a chart draws (by kind). */
export function runsFor(def: ChartDef, runs: readonly ChartRun[]): ChartRun[] {
  return runs.filter((r) => def.kinds.includes(r.kind));
}

/** Columns of the reward chart: mean and validation of every run, plus the bands of the primary run. */
export const REWARD_SERIES: readonly Series[] = [
  { name: 'mean', read: read.rewardMean },
  { name: 'validation', read: read.validation },
];

/** The run whose bands the reward chart shades: the first RFT run, else the first run; -1 when none. */
export function primaryRun(runs: readonly ChartRun[]): number {
  const i = runs.findIndex((r) => r.kind === 'rft');
  return i === -1 ? (runs.length > 0 ? 0 : -1) : i;
}

export type RewardRow = Row & { minMax?: [number, number] | null; std?: [number, number] | null };

/** Rows of the reward chart: toRows over REWARD_SERIES with `minMax` and `std` bands of the primary run. */
export function rewardRows(runs: readonly ChartRun[]): RewardRow[] {
  const rows: RewardRow[] = toRows(runs, REWARD_SERIES);
  const pi = primaryRun(runs);
  if (pi === -1) return rows;
  const byStep = new Map(runs[pi].points.map((p) => [p.step, p]));
  for (const row of rows) {
    const p = byStep.get(row.step);
    const m = p === undefined ? null : read.rewardMean(p),
      s = p === undefined ? null : read.rewardStd(p);
    const lo = p === undefined ? null : read.rewardMin(p),
      hi = p === undefined ? null : read.rewardMax(p);
    row.minMax = lo === null || hi === null ? null : [lo, hi];
    // Rewards lie in [0, 1]: the ±std band is cut there (mean 0.9 ± 0.3 would otherwise stretch the axis past 1).
    row.std = m === null || s === null ? null : [Math.max(0, m - s), Math.min(1, m + s)];
  }
  return rows;
}

/** Steps recorded by the primary run (the reward chart's data-points attribute). */
export function rewardPointCount(runs: readonly ChartRun[]): number {
  const pi = primaryRun(runs);
  return pi === -1 ? 0 : runs[pi].points.length;
}

export { columnKey };
