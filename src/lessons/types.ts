// What a guided lesson is: plain data the page follows (no React, no tfjs). A lesson picks a built-in
// task (and so its built-in model), runs its phases in order through the page's own controls, and ends
// with a verdict computed from the records its phases produced (lessons/verdicts.ts).
import type { SampleRecord, StepMetrics } from '../schema/metrics';
import type { RLConfig, SettingName } from '../schema/settings';

/** The grader a phase puts in the editor: the task's default, the task's fixed one, or code written here. */
export type LessonGrader = { kind: 'default' } | { kind: 'fixed' } | { kind: 'code'; code: string };

/** A training run with the given hyperparameters and grader; it ends at its max_steps. */
export interface TrainPhase {
  kind: 'train';
  /** Key of the phase's records (LessonRecords.train). */
  id: string;
  /** What the chart legend and the progress line call it. */
  label: string;
  /** Hyperparameters set before the run (the rest keep the algo's defaults or what the person set). */
  config: Partial<RLConfig> & { max_steps: number };
  /** The grader in the editor for this run. */
  grader: LessonGrader;
}

/** Grades the completions of an earlier train phase's last step again, with another grader (no training). */
export interface RegradePhase {
  kind: 'regrade';
  /** Key of the phase's records (LessonRecords.grades). */
  id: string;
  label: string;
  /** The train phase whose last step's completions are graded. */
  of: string;
  grader: LessonGrader;
}

/** Samples fresh completions from the loaded model and grades them (no training). */
export interface TryPhase {
  kind: 'try';
  /** Key of the phase's records (LessonRecords.grades). */
  id: string;
  label: string;
  grader: LessonGrader;
  /** Validation items prompted (1–16). */
  prompts: number;
  /** Completions per item, one group per item (1–16). */
  samplesPerPrompt: number;
  /** Sampler seed. */
  seed: number;
}

export type LessonPhase = TrainPhase | RegradePhase | TryPhase;

/** One graded completion of a regrade or try phase. */
export interface GradedCompletion {
  /** Index of the group (the prompt) it belongs to. */
  group: number;
  prompt: string;
  completion: string;
  reward: number | null;
  /** The grader's message when it could not score, else null. */
  error: string | null;
}

/** Everything the lesson's phases produced, by phase id. */
export interface LessonRecords {
  /** Each train phase's step metrics, in step order. */
  train: Record<string, StepMetrics[]>;
  /** Each train phase's last step's completions (with the rewards its run's grader gave). */
  lastSamples: Record<string, SampleRecord[]>;
  /** Each regrade or try phase's graded completions. */
  grades: Record<string, GradedCompletion[]>;
}

/** One number a verdict quotes. */
export interface VerdictFigure {
  /** Stable key (tests read it from data-figure). */
  key: string;
  /** What it is, in plain words. */
  label: string;
  /** The value; null when the records hold none. */
  value: number | null;
  /** How it is shown. */
  unit: 'fraction' | 'number';
}

/** The lesson's outcome: a sentence built from the figures, and the figures. */
export interface Verdict {
  text: string;
  figures: VerdictFigure[];
}

/** A horizontal line drawn on the lesson's chart. */
export interface LessonMark {
  /** Height on the reward axis (0–1). */
  y: number;
  label: string;
}

export interface Lesson {
  /** URL name (`?lesson=<name>`). */
  name: string;
  title: string;
  /** The built-in task (its built-in model is loaded). */
  task: string;
  /** What to watch: 3–6 plain sentences. */
  text: string[];
  phases: LessonPhase[];
  /** Hyperparameter controls locked while the lesson is on the page. */
  lock: SettingName[];
  /** Lines on the lesson chart while it runs. */
  marks: LessonMark[];
  /** Which metric the lesson chart plots per train phase. */
  chart: 'reward' | 'validation' | 'dead-groups';
  /** The verdict from the records. */
  verdict: (r: LessonRecords) => Verdict;
}
