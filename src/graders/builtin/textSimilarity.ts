// text_similarity (OpenAI): a similarity metric between the rendered `input` and `reference`, in [0, 1].
// The score is always the metric value (as on OpenAI: pass_threshold only marks pass/fail in evals, and the
// fine-tuning schema has no such field); with pass_threshold, details.passed says whether it was reached.
import type { GradeRequest, GradeResult, Grader } from '../types';
import type { SimilarityMetric, TextSimilaritySpec } from '../spec';
import type { Judge } from '../judge/types';
import { noJudgeError } from './modelGraders';
import { Template } from '../template';
import { METRICS, METRIC_NAMES } from '../metrics';
import { errorMessage, syncGrader } from './base';
import type { Fields } from './fields';
import { fieldPath } from './errors';

export function validateTextSimilarity(f: Fields, name: string): TextSimilaritySpec {
  const spec: TextSimilaritySpec = {
    type: 'text_similarity',
    name,
    input: f.str('input'),
    reference: f.str('reference'),
    evaluation_metric: f.oneOf<SimilarityMetric | 'cosine'>('evaluation_metric', [...METRIC_NAMES, 'cosine']),
  };
  const threshold = f.optNum('pass_threshold');
  if (threshold !== undefined) spec.pass_threshold = threshold;
  return spec;
}

export function createTextSimilarity(spec: TextSimilaritySpec, path: string, judge: Judge | null): Grader {
  const input = Template.parse(spec.input, fieldPath(path, 'input'));
  const reference = Template.parse(spec.reference, fieldPath(path, 'reference'));
  const threshold = spec.pass_threshold;
  const scored = (value: number) =>
    threshold === undefined ? { score: value } : { score: value, details: { passed: value >= threshold, pass_threshold: threshold } };
  const name = spec.evaluation_metric;
  if (name === 'cosine') return cosineGrader(spec, path, judge, input, reference, scored);
  const metric = METRICS[name];
  return syncGrader(spec.name, (sample, item) => scored(metric(input.render({ sample, item }), reference.render({ sample, item }))));
}

/** Cosine similarity of two vectors (0 when either is all zeros). */
export function cosine(a: number[], b: number[]): number {
  let dot = 0,
    na = 0,
    nb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** "cosine": both texts of a sample are embedded in one /v1/embeddings request. */
function cosineGrader(
  spec: TextSimilaritySpec,
  path: string,
  judge: Judge | null,
  input: Template,
  reference: Template,
  scored: (v: number) => { score: number; details?: unknown },
): Grader {
  const embed = judge?.embed?.bind(judge);
  if (embed === undefined) throw noJudgeError(path, 'text_similarity with evaluation_metric "cosine" (embeddings)');
  const one = async (r: GradeRequest): Promise<GradeResult> => {
    const t0 = performance.now();
    try {
      const [a, b] = await embed('', [input.render(r), reference.render(r)]);
      const { score, details } = scored(cosine(a, b));
      return { reward: score, sub_rewards: {}, details, error: null, error_kind: null, ms: performance.now() - t0 };
    } catch (e) {
      return {
        reward: null,
        sub_rewards: {},
        error: `grader '${spec.name}': ${errorMessage(e)}`,
        error_kind: e instanceof Error && e.name === 'JudgeTimeoutError' ? 'timeout' : 'error',
        ms: performance.now() - t0,
      };
    }
  };
  return { name: spec.name, gradeBatch: (requests) => Promise.all(requests.map(one)), dispose: () => {} };
}
