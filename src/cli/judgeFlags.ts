// The grader-loading flags shared by `cherry grade`, `validate`, `train` and `eval`: --invalid-reward and
// the HTTP judge of model graders. The judge's base URL and key come from the OpenAI SDK's variables
// (OPENAI_BASE_URL, OPENAI_API_KEY); --judge-url overrides the URL, --judge-key-env names another variable
// holding the key (a key is never a flag, so it stays out of shell history and process lists, and nothing
// here prints it), --judge-model replaces the graders' `model` (a local server's model name).
import { str, UsageError, type Args } from './args';
import { INVALID_REWARD_MODES, type InvalidReward, type LoadOptions } from '../graders';
import { HttpJudge, httpJudgeConfigFromEnv } from '../graders/judge/http';

/** The flags this module reads (for commands that refuse unknown flags). */
export const JUDGE_FLAGS = ['invalid-reward', 'judge-url', 'judge-model', 'judge-key-env'] as const;

/** Their line in a command's help. */
export const JUDGE_HELP =
  '[--invalid-reward excluded|zero] [--judge-url URL] [--judge-model NAME] [--judge-key-env VAR]. ' +
  'Model graders use the judge at --judge-url or OPENAI_BASE_URL with the key in $OPENAI_API_KEY (or the variable --judge-key-env names)';

/** --invalid-reward, checked; undefined when not given. */
export function invalidRewardFlag(args: Args): InvalidReward | undefined {
  const mode = str(args, 'invalid-reward');
  if (mode === undefined) return undefined;
  const m = INVALID_REWARD_MODES.find((x) => x === mode);
  if (m === undefined) throw new UsageError(`--invalid-reward must be one of: ${INVALID_REWARD_MODES.join(', ')}; got '${mode}'`);
  return m;
}

/** The HTTP judge the flags and the environment describe, or undefined when neither names one. */
export function judgeFromArgs(args: Args, env: Record<string, string | undefined> = process.env): HttpJudge | undefined {
  const keyVar = str(args, 'judge-key-env');
  if (keyVar !== undefined && env[keyVar] === undefined) {
    throw new UsageError(`--judge-key-env ${keyVar}: the environment variable ${keyVar} is not set; export it with the judge's API key`);
  }
  const url = str(args, 'judge-url');
  const model = str(args, 'judge-model');
  const cfg = httpJudgeConfigFromEnv({
    OPENAI_BASE_URL: url ?? env.OPENAI_BASE_URL,
    OPENAI_API_KEY: keyVar !== undefined ? env[keyVar] : env.OPENAI_API_KEY,
  });
  if (cfg === null) {
    if (model !== undefined)
      throw new UsageError('--judge-model needs a judge: give --judge-url URL or set OPENAI_BASE_URL / OPENAI_API_KEY');
    return undefined;
  }
  try {
    return new HttpJudge({ ...cfg, ...(model !== undefined ? { model } : {}) });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

/** invalid_reward and the judge, as loadGrader takes them. */
export function loadOptions(args: Args): LoadOptions {
  const invalidReward = invalidRewardFlag(args);
  const judge = judgeFromArgs(args);
  return { ...(invalidReward ? { invalidReward } : {}), ...(judge ? { judge } : {}) };
}
