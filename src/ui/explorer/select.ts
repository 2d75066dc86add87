// The completions explorer's logic (pure; unit-tested in Node): which steps exist, each prompt's group of
// completions at a step, filtering by reward range and text, and the same prompt across steps.

import type { SampleRecord } from '../../worker/protocol';

/** One graded completion, as the train worker streams it. */
export type ExplorerSample = SampleRecord;

/** Distinct steps, ascending. */
export function stepsOf(samples: readonly ExplorerSample[]): number[] {
  return [...new Set(samples.map((s) => s.step))].sort((a, b) => a - b);
}

/** One prompt's completions at one step. */
export interface PromptGroup {
  step: number;
  group: number;
  prompt: string;
  /** Best reward first; unscorable (null) last; ties keep their order. */
  samples: ExplorerSample[];
  /** Mean of the non-null rewards; null when none. */
  mean: number | null;
  /** Fewer than two scored samples, or all scored samples equal: the group gives no signal. */
  zeroStd: boolean;
}

function groupStats(samples: readonly ExplorerSample[]): { mean: number | null; zeroStd: boolean } {
  const rs = samples.map((s) => s.reward).filter((r): r is number => r !== null);
  const mean = rs.length === 0 ? null : rs.reduce((a, b) => a + b, 0) / rs.length;
  return { mean, zeroStd: rs.length < 2 || rs.every((r) => r === rs[0]) };
}

const byReward = (a: ExplorerSample, b: ExplorerSample) =>
  (a.reward === null ? 1 : 0) - (b.reward === null ? 1 : 0) || (b.reward ?? 0) - (a.reward ?? 0);

/** The groups of one step, in group order. Statistics cover every sample of the group given. */
export function groupsAt(samples: readonly ExplorerSample[], step: number): PromptGroup[] {
  const groups = new Map<number, ExplorerSample[]>();
  for (const s of samples) {
    if (s.step !== step) continue;
    const g = groups.get(s.group);
    if (g === undefined) groups.set(s.group, [s]);
    else g.push(s);
  }
  return [...groups.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([group, ss]) => ({
      step,
      group,
      prompt: ss[0].prompt,
      samples: [...ss].sort(byReward),
      ...groupStats(ss),
    }));
}

/** What the explorer shows. */
export interface SampleFilter {
  /** Lowest reward shown (inclusive); null = no lower bound. */
  minReward: number | null;
  /** Highest reward shown (inclusive); null = no upper bound. */
  maxReward: number | null;
  /** Case-insensitive text looked for in prompt, completion and error; '' = any. */
  text: string;
  /** Only unscorable samples (grader error or time-out). */
  onlyErrors: boolean;
  /** Only completions cut at the length limit. */
  onlyTruncated: boolean;
}

export const NO_FILTER: SampleFilter = { minReward: null, maxReward: null, text: '', onlyErrors: false, onlyTruncated: false };

/**
 * Whether a sample passes. A reward bound excludes unscorable samples (their reward is unknown), unless
 * onlyErrors asks for exactly those.
 */
export function matches(s: ExplorerSample, f: SampleFilter): boolean {
  if (f.onlyErrors && s.reward !== null && s.error === null) return false;
  if (f.onlyTruncated && s.truncated !== true) return false;
  if (!f.onlyErrors && (f.minReward !== null || f.maxReward !== null)) {
    if (s.reward === null) return false;
    if (f.minReward !== null && s.reward < f.minReward) return false;
    if (f.maxReward !== null && s.reward > f.maxReward) return false;
  }
  const q = f.text.trim().toLowerCase();
  if (q !== '' && ![s.prompt, s.completion, s.error ?? ''].some((t) => t.toLowerCase().includes(q))) return false;
  return true;
}

/**
 * Groups with only their matching samples; groups left empty are dropped. Mean and zeroStd stay those of
 * the whole group (what the update saw), not of the filtered view.
 */
export function filterGroups(groups: readonly PromptGroup[], f: SampleFilter): PromptGroup[] {
  return groups.map((g) => ({ ...g, samples: g.samples.filter((s) => matches(s, f)) })).filter((g) => g.samples.length > 0);
}

/** The same prompt at one step: its group's statistics and its best completion. */
export interface PromptAtStep {
  step: number;
  mean: number | null;
  /** Scored samples / all samples. */
  scored: number;
  total: number;
  best: ExplorerSample;
}

/**
 * The prompt's groups across steps, ascending (a prompt drawn twice in one step: its samples pool).
 * Empty when the prompt never appears.
 */
export function acrossSteps(samples: readonly ExplorerSample[], prompt: string): PromptAtStep[] {
  return stepsOf(samples).flatMap((step) => {
    const ss = samples.filter((s) => s.step === step && s.prompt === prompt);
    if (ss.length === 0) return [];
    const { mean } = groupStats(ss);
    return [{ step, mean, scored: ss.filter((s) => s.reward !== null).length, total: ss.length, best: [...ss].sort(byReward)[0] }];
  });
}

/** Prompts that appear at two or more steps (the ones a before/after comparison can show), sorted. */
export function repeatedPrompts(samples: readonly ExplorerSample[]): string[] {
  const steps = new Map<string, Set<number>>();
  for (const s of samples) {
    const set = steps.get(s.prompt);
    if (set === undefined) steps.set(s.prompt, new Set([s.step]));
    else set.add(s.step);
  }
  return [...steps.entries()]
    .filter(([, set]) => set.size >= 2)
    .map(([p]) => p)
    .sort();
}

/** Parses a reward bound typed by the user: '' = no bound; a number otherwise; null when not a number. */
export function parseBound(text: string): { ok: true; value: number | null } | { ok: false } {
  const t = text.trim();
  if (t === '') return { ok: true, value: null };
  const v = Number(t);
  return Number.isFinite(v) ? { ok: true, value: v } : { ok: false };
}
