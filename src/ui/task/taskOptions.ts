// The tasks the Task panel offers: the built-in registry (src/tasks imports no tfjs, so the page may
// import it), reduced to what the panel and the model panel show.
import { CHAT_TASKS, TASKS, type Task } from '../../tasks';
import type { GraderSource } from '../../graders/types';
import { TS_DIRECTIVE } from '../grader/templates';

export interface TaskOption {
  /** Registry name, as `cherry train --task <name>` takes it. */
  name: string;
  /** Short human title. */
  title: string;
  /** What the task teaches, a few sentences. */
  explanation: string;
  /** The model that serves it: a built-in one (public/models/<model>/), or for a chat task the suggested `hf:` model. */
  model: string;
  /** A chat task: offered only when the loaded model has a chat template; the Model panel does not auto-load its model. */
  chat: boolean;
  /** Generation budget per completion (the default max_completion_length of its runs). */
  maxNewTokens: number;
  /** The task's default grader as the editor shows it (see graderText). */
  graderText: string;
}

/**
 * A grader as editor text: code as it is (TypeScript starting with the directive), a spec as
 * 2-space-indented grader JSON plus a newline — what exportGraderJson (src/graders/openai.ts) writes and
 * the toolbar's import shows; it is not imported here because it brings the validators into the first load.
 */
export function graderText(source: GraderSource): string {
  if (source.kind === 'spec') return `${JSON.stringify(source.spec, null, 2)}\n`;
  if (source.kind === 'ts' && !source.code.trimStart().startsWith(TS_DIRECTIVE)) return `${TS_DIRECTIVE}\n${source.code}`;
  return source.code;
}

function option(t: Task, chat: boolean): TaskOption {
  return {
    name: t.name,
    title: t.title,
    explanation: t.explanation,
    model: t.model,
    maxNewTokens: t.maxNewTokens,
    chat,
    graderText: graderText(t.defaultGrader),
  };
}

/** The tasks for Cherry's built-in models. */
export const TASK_OPTIONS: readonly TaskOption[] = TASKS.map((t) => option(t, false));

/** The chat tasks (src/tasks CHAT_TASKS), for a loaded model with a chat template. */
export const CHAT_TASK_OPTIONS: readonly TaskOption[] = CHAT_TASKS.map((t) => option(t, true));

/**
 * The tasks the Task panel lists: the built-in ones, plus the chat tasks when the loaded model has a
 * chat template; `selected` is kept even without one (e.g. from a shared link before its model loads).
 */
export function visibleTaskOptions(chatTemplate: boolean, selected: string): TaskOption[] {
  return [...TASK_OPTIONS, ...CHAT_TASK_OPTIONS.filter((t) => chatTemplate || t.name === selected)];
}

/** The editor text of `task`'s default grader; '' for an unknown task. */
export function defaultGraderText(task: string): string {
  return taskOption(task)?.graderText ?? '';
}

/** The option called `name`, or undefined (e.g. an old URL naming a task that no longer exists). */
export function taskOption(name: string): TaskOption | undefined {
  return TASK_OPTIONS.find((t) => t.name === name) ?? CHAT_TASK_OPTIONS.find((t) => t.name === name);
}

/** The built-in models, each once, in task order. */
export const BUILTIN_MODELS: readonly string[] = [...new Set(TASK_OPTIONS.map((t) => t.model))];
