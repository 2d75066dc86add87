// text_similarity (OpenAI): a similarity metric between the rendered `input` and `reference`, in [0, 1].
// The score is always the metric value (as on OpenAI: pass_threshold only marks pass/fail in evals, and the
// fine-tuning schema has no such field); with pass_threshold, details.passed says whether it was reached.
import type { Grader } from '../types';
import type { SimilarityMetric, TextSimilaritySpec } from '../spec';
import { Template } from '../template';
import { METRICS, METRIC_NAMES } from '../metrics';
import { syncGrader } from './base';
import type { Fields } from './fields';
import { fieldPath } from './errors';

export function validateTextSimilarity(f: Fields, name: string): TextSimilaritySpec {
  const spec: TextSimilaritySpec = {
    type: 'text_similarity', name, input: f.str('input'), reference: f.str('reference'),
    evaluation_metric: f.oneOf<SimilarityMetric>('evaluation_metric', METRIC_NAMES),
  };
  const threshold = f.optNum('pass_threshold');
  if (threshold !== undefined) spec.pass_threshold = threshold;
  return spec;
}

export function createTextSimilarity(spec: TextSimilaritySpec, path: string): Grader {
  const input = Template.parse(spec.input, fieldPath(path, 'input'));
  const reference = Template.parse(spec.reference, fieldPath(path, 'reference'));
  const metric = METRICS[spec.evaluation_metric];
  const threshold = spec.pass_threshold;
  return syncGrader(spec.name, (sample, item) => {
    const value = metric(input.render({ sample, item }), reference.render({ sample, item }));
    if (threshold === undefined) return { score: value };
    return { score: value, details: { passed: value >= threshold, pass_threshold: threshold } };
  });
}
