// `cherry validate`: the engine side of OpenAI's POST /fine_tuning/alpha/graders/validate. Takes a grader
// file (.json: a grader object or the {"grader": {...}} body; .py/.js/.ts: code), checks every field and
// builds the grader once (templates, formulas, regexes, code syntax), and prints {"grader": {...}} as OpenAI
// does. It also says whether OpenAI can run the grader (Cherry's extras cannot); --target openai makes that
// an error. Exit 1 with the file, field or line:column when the grader is invalid.
import { bool, str, UsageError, type Args } from '../args';
import { validateGrader } from '../../export/validate';
import { graderFromFile } from '../graderFile';
import { GraderFileError, withFileErrors } from './grade';
import { loadOptions } from '../judgeFlags';

export const help = "check a grader as OpenAI's graders/validate does: --grader <file.json|.py|.js|.ts> [--target openai] [--json]";

export async function run(args: Args): Promise<void> {
  const file = str(args, 'grader');
  if (!file) throw new UsageError('--grader <file.json|file.py|file.js|file.ts> is required');
  const target = str(args, 'target');
  if (target !== undefined && target !== 'openai' && target !== 'cherry')
    throw new UsageError(`--target must be openai or cherry, got '${target}'`);
  const opts = await loadOptions(args);
  const { grader, openai } = await withFileErrors(file, () => validateGrader(graderFromFile(file), opts));
  if (!openai.ok && target === 'openai') throw new GraderFileError(`${file}: valid in Cherry, but ${openai.reason}`);
  if (bool(args, 'json')) {
    console.log(JSON.stringify({ grader, openai }));
    return;
  }
  console.log(`${file}: valid ${grader.type} grader '${grader.name}'.`);
  console.log(openai.ok ? 'OpenAI RFT accepts it as it is.' : `Not for OpenAI: ${openai.reason}`);
}
