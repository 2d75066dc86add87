// A grader as Python source defining `grade(sample, item) -> float | None`, for the TRL script: a Python
// grader as written, and the built-in types translated (string_check, text_similarity, multi). The
// text-similarity metrics use the packages Cherry's own implementations follow (rapidfuzz, sacrebleu,
// nltk, rouge-score), imported only when a grader needs them. JavaScript/TypeScript and Cherry's extras
// (regex, json_schema) are refused with the same explanation as the OpenAI export.
import type { GraderSource } from '../graders/types';
import type { GraderSpec } from '../graders/spec';
import { refuseExport } from './openai';

/** A Python string literal (JSON's escapes are all valid in Python). */
export const pyStr = (s: string): string => JSON.stringify(s);

const RENDER = `
def _lookup(path, sample, item):
    root, *keys = path.split(".")
    if root not in ("sample", "item"):
        raise ValueError("template path must start with sample. or item.: " + path)
    value = sample if root == "sample" else item
    for key in keys:
        if isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        elif isinstance(value, dict) and key in value:
            value = value[key]
        elif root == "sample":
            return ""  # a missing sample path is a wrong answer, as in Cherry
        else:
            raise KeyError("dataset row has no field " + path)
    return value if isinstance(value, str) else json.dumps(value)


def _render(template, sample, item):
    """Renders "{{ sample.output_text }}" / "{{ item.reference_answer }}" templates as Cherry does."""
    return re.sub(r"\\{\\{\\s*([^}]*?)\\s*\\}\\}", lambda m: _lookup(m.group(1), sample, item), template)
`;

const SIMILARITY = `
def _similarity(metric, output, reference):
    """Cherry's text_similarity metrics, from the packages its implementations follow (all in [0, 1])."""
    if metric == "fuzzy_match":
        from rapidfuzz import fuzz
        return fuzz.ratio(output, reference) / 100.0
    if metric == "bleu":
        import sacrebleu
        return sacrebleu.sentence_bleu(output, [reference]).score / 100.0
    if metric == "gleu":
        from nltk.translate.gleu_score import sentence_gleu
        return sentence_gleu([reference.split()], output.split())
    if metric == "meteor":
        # Cherry matches exact words and Porter stems but no WordNet synonyms; nltk also uses WordNet.
        from nltk.translate.meteor_score import meteor_score
        return meteor_score([reference.split()], output.split())
    from rouge_score import rouge_scorer
    name = "rougeL" if metric == "rouge_l" else "rouge" + metric.split("_")[1]
    return rouge_scorer.RougeScorer([name]).score(reference, output)[name].fmeasure
`;

const FORMULA = `
def _formula(expression, scores):
    """A multi grader's calculate_output (Cherry's grammar: + - * / ^ and min max abs floor ceil exp sqrt log)."""
    if any(v is None for v in scores.values()):
        return None
    names = {"min": min, "max": max, "abs": abs, "floor": math.floor, "ceil": math.ceil,
             "exp": math.exp, "sqrt": math.sqrt, "log": math.log, **scores}
    try:
        value = eval(expression.replace("^", "**"), {"__builtins__": {}}, names)
    except (ArithmeticError, ValueError):
        return None  # Cherry reports a non-finite result as an error: unscorable here
    return float(value) if math.isfinite(value) else None
`;

const AS_FLOAT = `
def _as_float(value):
    """A grader may return a number, None (unscorable) or {"score": number, "details": ...}."""
    if isinstance(value, dict):
        value = value.get("score")
    return None if value is None else float(value)
`;

const OPS: Record<string, string> = {
  eq: 'a == b',
  ne: 'a != b',
  like: 'b in a',
  ilike: 'b.lower() in a.lower()',
};

interface Emitter {
  defs: string[];
  helpers: Set<string>;
  next: number;
}

/** Emits one function per (sub-)grader; returns its Python name. */
function emit(spec: GraderSpec, path: string, e: Emitter): string {
  const fn = `_grader_${e.next++}`;
  const head = `def ${fn}(sample, item):\n    # ${spec.type} grader ${pyStr(path)}`;
  switch (spec.type) {
    case 'string_check':
      e.helpers.add(RENDER);
      e.defs.push(`${head}\n    a = _render(${pyStr(spec.input)}, sample, item)\n    b = _render(${pyStr(spec.reference)}, sample, item)\n` +
        `    return 1.0 if ${OPS[spec.operation]} else 0.0\n`);
      return fn;
    case 'text_similarity': {
      e.helpers.add(RENDER);
      e.helpers.add(SIMILARITY);
      const t = spec.pass_threshold;
      const ret = t === undefined ? 'score' : `1.0 if score >= ${t} else 0.0`;
      e.defs.push(`${head}\n    a = _render(${pyStr(spec.input)}, sample, item)\n    b = _render(${pyStr(spec.reference)}, sample, item)\n` +
        `    score = _similarity(${pyStr(spec.evaluation_metric)}, a, b)\n    return ${ret}\n`);
      return fn;
    }
    case 'python': {
      e.helpers.add(AS_FLOAT);
      const ns = `_ns_${fn}`;
      e.defs.push(`${ns} = {}\nexec(${pyStr(spec.source)}, ${ns})  # the Python grader's own source\n\n\n` +
        `${head}\n    return _as_float(${ns}["grade"](sample, item))\n`);
      return fn;
    }
    case 'multi': {
      e.helpers.add(FORMULA);
      const subs = Object.entries(spec.graders).map(([k, g]) => `${pyStr(k)}: ${emit(g, `${path}.graders.${k}`, e)}(sample, item)`);
      e.defs.push(`${head}\n    scores = {${subs.join(', ')}}\n    return _formula(${pyStr(spec.calculate_output)}, scores)\n`);
      return fn;
    }
    default:
      return refuseExport(path, spec.type);
  }
}

/**
 * Python source (no imports beyond the standard library at the top: json, math, re) that defines
 * `grade(sample, item)`, returning a float or None. Throws GraderExportError for JS/TS and Cherry extras.
 */
export function graderToPython(source: GraderSource): string {
  const prelude = 'import json\nimport math\nimport re\n';
  if (source.kind === 'python') {
    // The user's own grader, verbatim: it already defines grade(sample, item).
    return `${prelude}\n# ---- grader ${pyStr(source.name ?? 'grader')} (Python source from Cherry) ----\n${source.code.trimEnd()}\n`;
  }
  if (source.kind !== 'spec') return refuseExport(source.name ?? 'grader', 'javascript');
  const e: Emitter = { defs: [], helpers: new Set(), next: 0 };
  const top = emit(source.spec, source.spec.name, e);
  const helpers = [...e.helpers].map((h) => h.trim());
  return [prelude, ...helpers, ...e.defs.map((d) => d.trimEnd()), `grade = ${top}`].join('\n\n\n') + '\n';
}
