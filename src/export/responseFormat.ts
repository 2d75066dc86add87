// The response_format of an OpenAI RFT job whose grader reads `sample.output_json`: OpenAI fills output_json
// only when the job asks the model for structured output, so without it such a grader sees nothing. The
// JSON Schema is derived from the template paths the grader reads ("{{ sample.output_json.name }}" → a
// required string property "name"; "[0]" → an array), in OpenAI's strict form (every property required,
// no additional properties). Leaves are strings, since templates compare rendered text. A grader that
// reads output_json in a way templates do not show (Python code, the whole object) needs a schema given.
import type { GraderSpec } from '../graders/spec';
import { Template } from '../graders/template';

/** OpenAI's json_schema response format. */
export interface ResponseFormat {
  type: 'json_schema';
  json_schema: { name: string; strict: true; schema: Record<string, unknown> };
}

/** A node of the derived schema: a leaf, an object of named children, or an array of one child. */
type Node = { kind: 'leaf' } | { kind: 'object'; props: Map<string, Node> } | { kind: 'array'; item: Node };

/** Every template of a spec and its sub-graders. */
function templatesOf(spec: GraderSpec): string[] {
  switch (spec.type) {
    case 'string_check':
    case 'text_similarity':
      return [spec.input, spec.reference];
    case 'regex':
      return [spec.input, ...(spec.reference !== undefined ? [spec.reference] : [])];
    case 'json_schema':
      return [spec.input ?? '{{ sample.output_text }}'];
    case 'score_model':
    case 'label_model':
      return spec.input.flatMap((m) =>
        typeof m.content === 'string' ? [m.content] : Array.isArray(m.content) ? m.content.map((p) => p.text) : [m.content.text],
      );
    case 'multi':
      return Object.values(spec.graders).flatMap(templatesOf);
    case 'python':
    case 'javascript':
      return [];
  }
}

/** True when some python grader in the spec reads output_json in its code. */
function codeReadsJson(spec: GraderSpec): boolean {
  if (spec.type === 'multi') return Object.values(spec.graders).some(codeReadsJson);
  return (spec.type === 'python' || spec.type === 'javascript') && spec.source.includes('output_json');
}

/** The derived format (null: the grader never reads output_json), or why it cannot be derived. */
export type Derived = { ok: true; format: ResponseFormat | null } | { ok: false; reason: string };

function insert(node: Node, segs: string[]): Node | string {
  if (segs.length === 0) return node.kind === 'leaf' ? node : 'it also reads the whole of a value whose fields it reads';
  const [head, ...rest] = segs;
  const isIndex = /^\d+$/.test(head);
  if (node.kind === 'leaf') node = isIndex ? { kind: 'array', item: { kind: 'leaf' } } : { kind: 'object', props: new Map() };
  if (isIndex) {
    if (node.kind !== 'array') return `"${head}" indexes a value that other paths read as an object`;
    const item = insert(node.item, rest);
    if (typeof item === 'string') return item;
    return { kind: 'array', item };
  }
  if (node.kind !== 'object') return `".${head}" reads a field of a value that other paths read as an array`;
  const child = insert(node.props.get(head) ?? { kind: 'leaf' }, rest);
  if (typeof child === 'string') return child;
  node.props.set(head, child);
  return node;
}

function toSchema(node: Node): Record<string, unknown> {
  if (node.kind === 'leaf') return { type: 'string' };
  if (node.kind === 'array') return { type: 'array', items: toSchema(node.item) };
  const props = Object.fromEntries([...node.props].map(([k, v]) => [k, toSchema(v)]));
  return { type: 'object', properties: props, required: [...node.props.keys()], additionalProperties: false };
}

/** The response format the grader needs: null when it never reads output_json. */
export function deriveResponseFormat(spec: GraderSpec): Derived {
  if (codeReadsJson(spec)) {
    return { ok: false, reason: 'its code reads sample["output_json"], whose shape only the code knows' };
  }
  let root: Node = { kind: 'object', props: new Map() };
  let reads = false;
  for (const t of templatesOf(spec)) {
    for (const segs of Template.parse(t).segments) {
      if (segs[0] !== 'sample' || segs[1] !== 'output_json') continue;
      reads = true;
      if (segs.length === 2) return { ok: false, reason: 'a template reads {{ sample.output_json }} as a whole' };
      const next = insert(root, segs.slice(2));
      if (typeof next === 'string') return { ok: false, reason: `its templates disagree on the output's shape: ${next}` };
      root = next;
    }
  }
  if (!reads) return { ok: true, format: null };
  return { ok: true, format: { type: 'json_schema', json_schema: { name: 'output', strict: true, schema: toSchema(root) } } };
}
