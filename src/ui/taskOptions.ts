// The tasks the Task panel offers, until src/tasks exports its registry (then import it here instead).
export interface TaskOption {
  /** Registry name, as `cherry train --task <name>` takes it. */
  name: string;
  /** One line on what the task teaches. */
  explanation: string;
}

export const TASK_OPTIONS: readonly TaskOption[] = [
  { name: 'arithmetic', explanation: 'Addition with systematically wrong SFT labels: SFT is capped by its labels, RFT is not.' },
  { name: 'countdown', explanation: 'Reach a target number from given numbers; the grader evaluates the expression.' },
  { name: 'json-extract', explanation: 'Turn a sentence into a JSON record; graded on parse, schema and each field.' },
  { name: 'word-sort', explanation: 'Sort a list of words; partial credit by text similarity makes the reward smooth.' },
  { name: 'reward-hacking', explanation: 'A sloppy grader that RFT learns to game, beside the fixed one.' },
];
