// Reading a judge's answer. score_model asks for {"result": number, "steps": [...]} (OpenAI's structured
// output for model graders); a judge that ignores the response format and answers a bare number is read
// too. label_model asks for {"result": "<label>"}; a bare label is read too. Anything else is an invalid
// answer, with a message quoting it.

/** The answer could not be read as a score or a label. */
export class JudgeAnswerError extends Error {
  override name = 'JudgeAnswerError';
}

const quote = (text: string): string => JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);

/** Strips one surrounding ```json fence, which many chat models add. */
function unfence(text: string): string {
  const m = /^```[a-zA-Z]*\s*\n([\s\S]*?)\n?```$/.exec(text.trim());
  return m === null ? text.trim() : m[1].trim();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The score in a judge's answer; throws JudgeAnswerError for an unreadable answer or one outside `range`. */
export function readScore(answer: string, range: [number, number]): { score: number; steps?: unknown } {
  const text = unfence(answer);
  const json = parseJson(text);
  let score: number | undefined;
  let steps: unknown;
  if (typeof json === 'object' && json !== null && !Array.isArray(json) && 'result' in json) {
    const r = json.result;
    if (typeof r === 'number') score = r;
    else if (typeof r === 'string' && /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(r)) score = Number(r);
    if ('steps' in json) steps = json.steps;
  } else if (typeof json === 'number') score = json;
  if (score === undefined || !Number.isFinite(score)) {
    throw new JudgeAnswerError(`the judge's answer is neither {"result": <number>, "steps": [...]} nor a number: ${quote(answer)}`);
  }
  if (score < range[0] || score > range[1]) {
    throw new JudgeAnswerError(`the judge's score ${score} is outside range [${range[0]}, ${range[1]}]`);
  }
  return steps === undefined ? { score } : { score, steps };
}

/** The label in a judge's answer; throws JudgeAnswerError when it is not one of `labels`. */
export function readLabel(answer: string, labels: readonly string[]): string {
  const text = unfence(answer);
  const json = parseJson(text);
  let label: string;
  if (typeof json === 'object' && json !== null && !Array.isArray(json) && 'result' in json && typeof json.result === 'string')
    label = json.result;
  else if (typeof json === 'string') label = json;
  else label = text.replace(/^["'`]|["'`.]$/g, '').trim();
  const found = labels.find((l) => l === label) ?? labels.find((l) => l.toLowerCase() === label.toLowerCase());
  if (found === undefined) {
    throw new JudgeAnswerError(`the judge's answer ${quote(answer)} is not one of the labels: ${labels.join(', ')}`);
  }
  return found;
}

/** The JSON Schema requested for score_model answers. */
export const SCORE_SCHEMA = {
  name: 'score_model_answer',
  schema: {
    type: 'object',
    properties: {
      steps: {
        type: 'array',
        items: {
          type: 'object',
          properties: { description: { type: 'string' }, conclusion: { type: 'string' } },
          required: ['description', 'conclusion'],
          additionalProperties: false,
        },
      },
      result: { type: 'number' },
    },
    required: ['steps', 'result'],
    additionalProperties: false,
  },
};

/** The JSON Schema requested for label_model answers. */
export function labelSchema(labels: readonly string[]): { name: string; schema: Record<string, unknown> } {
  return {
    name: 'label_model_answer',
    schema: {
      type: 'object',
      properties: { result: { type: 'string', enum: [...labels] } },
      required: ['result'],
      additionalProperties: false,
    },
  };
}
