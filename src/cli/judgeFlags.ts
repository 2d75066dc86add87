// The grader-loading flags shared by `cherry grade`, `validate`, `train` and `eval`: --invalid-reward and
// the HTTP judge of model graders. The judge's base URL and key come from the OpenAI SDK's variables
// (OPENAI_BASE_URL, OPENAI_API_KEY); --judge-url overrides the URL, --judge-key-env names another variable
// holding the key (a key is never a flag, so it stays out of shell history and process lists, and nothing
// here prints it), --judge-model replaces the graders' `model` (a local server's model name).
// --judge-local MODEL makes a model of Cherry's own the judge instead (a folder, hf: id or URL, as --model
// takes): its own frozen copy, loaded once, never the policy being trained.
import * as tf from '@tensorflow/tfjs';
import { str, UsageError, type Args } from './args';
import { INVALID_REWARD_MODES, type InvalidReward, type LoadOptions } from '../graders';
import { HttpJudge, httpJudgeConfigFromEnv } from '../graders/judge/http';
import { LocalModelJudge } from '../graders/judge/local';
import type { Judge } from '../graders/judge/types';
import { modelDirFromArg } from '../hub/node';
import { loadModelDir } from './modelDir';

/** The flags this module reads (for commands that refuse unknown flags). */
export const JUDGE_FLAGS = ['invalid-reward', 'judge-url', 'judge-model', 'judge-key-env', 'judge-local'] as const;

/** Their line in a command's help. */
export const JUDGE_HELP =
  '[--invalid-reward excluded|zero] [--judge-url URL] [--judge-model NAME] [--judge-key-env VAR] [--judge-local MODEL]. ' +
  'Model graders use the judge at --judge-url or OPENAI_BASE_URL with the key in $OPENAI_API_KEY (or the variable --judge-key-env names), ' +
  'or with --judge-local a local model (folder, hf:ORG/NAME or URL) that only judges';

/** --invalid-reward, checked; undefined when not given. */
export function invalidRewardFlag(args: Args): InvalidReward | undefined {
  const mode = str(args, 'invalid-reward');
  if (mode === undefined) return undefined;
  const m = INVALID_REWARD_MODES.find((x) => x === mode);
  if (m === undefined) throw new UsageError(`--invalid-reward must be one of: ${INVALID_REWARD_MODES.join(', ')}; got '${mode}'`);
  return m;
}

/** The judge the flags and the environment describe (a local model, or HTTP), or undefined when none is named. */
export async function judgeFromArgs(args: Args, env: Record<string, string | undefined> = process.env): Promise<Judge | undefined> {
  const local = str(args, 'judge-local');
  if (local === undefined) return httpJudgeFromArgs(args, env);
  for (const f of ['judge-url', 'judge-model', 'judge-key-env'])
    if (str(args, f) !== undefined) throw new UsageError(`--judge-local and --${f} name two judges; give one`);
  await tf.ready(); // commands that run no model of their own (grade, validate) have not started a backend
  const { model, tokenizer } = await loadModelDir(await modelDirFromArg(local));
  if (tokenizer === null) {
    model.dispose();
    throw new UsageError(`--judge-local ${local}: the model has no tokenizer.json; a judge reads and writes text`);
  }
  return new LocalModelJudge(model, tokenizer, { label: `local model ${local}` });
}

/** The HTTP judge the flags and the environment describe, or undefined when neither names one. */
function httpJudgeFromArgs(args: Args, env: Record<string, string | undefined>): HttpJudge | undefined {
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
export async function loadOptions(args: Args): Promise<LoadOptions> {
  const invalidReward = invalidRewardFlag(args);
  const judge = await judgeFromArgs(args);
  return { ...(invalidReward ? { invalidReward } : {}), ...(judge ? { judge } : {}) };
}
