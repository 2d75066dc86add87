// The lessons' verdicts against records small enough to compute by hand.
import { describe, expect, it } from 'vitest';
import type { StepMetrics } from '../../src/schema/metrics';
import type { GradedCompletion, LessonRecords, Verdict } from '../../src/lessons/types';
import {
  cakeVerdict,
  edgeMean,
  graderVerdict,
  groupSizeVerdict,
  groupSpreads,
  hackingVerdict,
  histogram,
  noSignalVerdict,
} from '../../src/lessons/verdicts';
import { LESSONS, getLesson, UnknownLessonError, withSteps } from '../../src/lessons';

const records = (r: Partial<LessonRecords>): LessonRecords => ({ train: {}, lastSamples: {}, grades: {}, ...r });
const fig = (v: Verdict, key: string) => v.figures.find((f) => f.key === key)?.value;
const steps = (xs: Partial<StepMetrics>[]): StepMetrics[] => xs.map((x, step) => ({ step, ...x }));

describe('cake verdict', () => {
  const r = records({
    train: {
      sft: steps([
        { eval_reward_mean: 0.5, eval_reward_by_class: { carry: 0.1 } },
        {},
        { eval_reward_mean: 0.55, eval_reward_by_class: { carry: 0.12 } },
      ]),
      grpo: steps([{ eval_reward_mean: 0.6 }, { eval_reward_mean: 0.8, eval_reward_by_class: { carry: 0.7 } }]),
    },
  });
  const v = cakeVerdict(r, 0.62);
  it('quotes the first and last evaluations of each run and the carry class', () => {
    expect(fig(v, 'label_accuracy')).toBe(0.62);
    expect(fig(v, 'sft_start')).toBe(0.5);
    expect(fig(v, 'sft_final')).toBe(0.55);
    expect(fig(v, 'grpo_final')).toBe(0.8);
    expect(fig(v, 'sft_carry')).toBe(0.12);
    expect(fig(v, 'grpo_carry')).toBe(0.7);
    expect(v.text).toContain('62%');
    expect(v.text).toContain('80%');
    expect(v.text).toContain('past what the labels allow');
  });
  it('says when GRPO is not past the labels', () => {
    expect(cakeVerdict(r, 0.9).text).toContain('not past the labels');
  });
});

describe('no-signal verdict', () => {
  it("averages the dead-group share of each run and the solvable run's first and last steps", () => {
    const solvable = steps(Array.from({ length: 12 }, (_, i) => ({ frac_groups_zero_std: i < 6 ? 0.5 : 0.25, reward_mean: i / 10 })));
    const v = noSignalVerdict(
      records({
        train: {
          impossible: steps([
            { frac_groups_zero_std: 1, reward_mean: 0 },
            { frac_groups_zero_std: 1, reward_mean: 0 },
          ]),
          solvable,
        },
      }),
    );
    expect(fig(v, 'dead_before')).toBe(1);
    expect(fig(v, 'dead_after')).toBeCloseTo(0.375, 12);
    expect(fig(v, 'reward_before')).toBe(0);
    expect(fig(v, 'reward_after_start')).toBeCloseTo(0.45, 12); // steps 0..9: 0.0..0.9
    expect(fig(v, 'reward_after_end')).toBeCloseTo(0.65, 12); // steps 2..11: 0.2..1.1
    expect(v.text).toContain('100%');
    expect(v.text).toContain('38%');
  });
});

const graded = (group: number, reward: number | null): GradedCompletion => ({
  group,
  prompt: `p${group}`,
  completion: 'x',
  reward,
  error: reward === null ? 'bad' : null,
});

describe('hacking verdict', () => {
  it('compares the sloppy and honest grades of the same completions', () => {
    const sample = (reward: number | null) => ({
      step: 3,
      group: 0,
      prompt: 'p',
      completion: 'c',
      reward,
      sub_rewards: {},
      error: null,
      error_kind: null,
      advantage: 0,
      length: 5,
      truncated: false,
      trained: true,
    });
    const v = hackingVerdict(
      records({
        train: {
          sloppy: steps([{ completion_length_mean: 3 }, { completion_length_mean: 20 }]),
          fixed: steps([{ reward_mean: 0.2 }, { reward_mean: 0.4 }]),
        },
        lastSamples: { sloppy: [sample(0.9), sample(0.7), sample(null)] },
        grades: { honest: [graded(0, 0), graded(0, 1), graded(0, 0), graded(0, 0)] },
      }),
    );
    expect(fig(v, 'hacked_reward')).toBeCloseTo(0.8, 12);
    expect(fig(v, 'honest_reward')).toBe(0.25);
    expect(fig(v, 'length_start')).toBe(3);
    expect(fig(v, 'length_end')).toBe(20);
    expect(fig(v, 'fixed_reward')).toBeCloseTo(0.3, 12);
    expect(v.text).toContain('0.80');
    expect(v.text).toContain('0.25');
  });
});

describe('grader verdict', () => {
  const gs = [graded(0, 1), graded(0, 0), graded(1, 0.5), graded(1, 0.5), graded(1, null), graded(2, 0)];
  it('computes spreads per group (population std of valid rewards)', () => {
    expect(groupSpreads(gs)).toEqual([0.5, 0, 0]);
  });
  it('counts, extremes, dead groups', () => {
    const v = graderVerdict(records({ grades: { try: gs } }));
    expect(fig(v, 'samples')).toBe(6);
    expect(fig(v, 'errors')).toBe(1);
    expect(fig(v, 'mean')).toBeCloseTo(0.4, 12);
    expect(fig(v, 'lowest')).toBe(0);
    expect(fig(v, 'highest')).toBe(1);
    expect(fig(v, 'dead_groups')).toBeCloseTo(2 / 3, 12);
    expect(fig(v, 'spread')).toBeCloseTo(0.5 / 3, 12);
  });
  it('bins rewards over [0, 1], 1 in the last bin', () => {
    expect(histogram([0, 0.19, 0.2, 0.5, 1, 1.5, -1], 5)).toEqual([3, 1, 1, 0, 2]);
  });
});

describe('group-size verdict', () => {
  it("quotes each run's dead groups and last evaluation", () => {
    const v = groupSizeVerdict(
      records({
        train: {
          g2: steps([
            { frac_groups_zero_std: 0.5, eval_reward_mean: 0.58 },
            { frac_groups_zero_std: 0.25, eval_reward_mean: 0.6 },
          ]),
          g8: steps([
            { frac_groups_zero_std: 0, eval_reward_mean: 0.58 },
            { frac_groups_zero_std: 0.25, eval_reward_mean: 0.7 },
          ]),
        },
      }),
    );
    expect(fig(v, 'dead_g2')).toBe(0.375);
    expect(fig(v, 'dead_g8')).toBe(0.125);
    expect(fig(v, 'start')).toBe(0.58);
    expect(fig(v, 'final_g2')).toBe(0.6);
    expect(fig(v, 'final_g8')).toBe(0.7);
  });
});

describe('lessons table', () => {
  it('has the five lessons, each with 3–6 sentences and phases whose records its verdict reads', () => {
    expect(LESSONS.map((l) => l.name)).toEqual(['cake', 'no-signal', 'hacking', 'grader', 'group-size']);
    for (const l of LESSONS) {
      expect(l.text.length).toBeGreaterThanOrEqual(3);
      expect(l.text.length).toBeLessThanOrEqual(6);
      expect(new Set(l.phases.map((p) => p.id)).size).toBe(l.phases.length);
    }
  });
  it('edgeMean averages the first or last n values', () => {
    const ms = steps([{ reward_mean: 1 }, { reward_mean: 2 }, {}, { reward_mean: 4 }]);
    expect(edgeMean(ms, (m) => m.reward_mean, 2, 'head')).toBe(1.5);
    expect(edgeMean(ms, (m) => m.reward_mean, 2)).toBe(3);
  });
  it('withSteps shortens every train phase only', () => {
    const l = withSteps(getLesson('hacking'), 3);
    expect(l.phases.map((p) => (p.kind === 'train' ? p.config.max_steps : p.kind))).toEqual([3, 'regrade', 3]);
  });
  it('names the lessons for an unknown one', () => {
    expect(() => getLesson('pie')).toThrow(UnknownLessonError);
    expect(() => getLesson('pie')).toThrow("Unknown lesson 'pie' in the link. Lessons: cake, no-signal, hacking, grader, group-size.");
  });
});
