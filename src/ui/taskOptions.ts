// The tasks the Task panel offers: the built-in registry (src/tasks imports no tfjs, so the page may
// import it), reduced to what the panel and the model panel show.
import { TASKS } from '../tasks';

export interface TaskOption {
  /** Registry name, as `cherry train --task <name>` takes it. */
  name: string;
  /** Short human title. */
  title: string;
  /** What the task teaches, a few sentences. */
  explanation: string;
  /** The built-in model that serves it (public/models/<model>/). */
  model: string;
  /** Generation budget per completion (the default max_completion_length of its runs). */
  maxNewTokens: number;
}

export const TASK_OPTIONS: readonly TaskOption[] = TASKS.map((t) => ({
  name: t.name, title: t.title, explanation: t.explanation, model: t.model, maxNewTokens: t.maxNewTokens,
}));

/** The option called `name`, or undefined (e.g. an old URL naming a task that no longer exists). */
export function taskOption(name: string): TaskOption | undefined {
  return TASK_OPTIONS.find((t) => t.name === name);
}

/** The built-in models, each once, in task order. */
export const BUILTIN_MODELS: readonly string[] = [...new Set(TASK_OPTIONS.map((t) => t.model))];
