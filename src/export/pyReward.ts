// A grader as Python source defining `grade(sample, item) -> float | None`, for the TRL script: a Python
// grader as written, and the built-in types translated (string_check, text_similarity, multi). The
// text-similarity metrics use the packages Cherry's own implementations follow (rapidfuzz, sacrebleu,
// nltk, rouge-score), imported only when a grader needs them, and reported as pip packages. Templates
// render numbers as Cherry does (JavaScript's formatting: 1.0 -> "1"). JavaScript/TypeScript and Cherry's
// extras (regex, json_schema) are refused with the same explanation as the OpenAI export; model graders
// too (the reward function runs no judge).
import type { GraderSource } from '../graders/types';
import type { GraderSpec } from '../graders/spec';
import { GraderExportError, refuseExport } from './openai';

/** A Python string literal (JSON's escapes are all valid in Python). */
export const pyStr = (s: string): string => JSON.stringify(s);

const RENDER = `
def _js_number(v):
    """A number as JavaScript's String(v) writes it, so templates render as in Cherry (1.0 -> "1", 1e-07 -> "1e-7")."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if v != v or v in (float("inf"), float("-inf")):
        return "null"  # JSON.stringify's rendering
    if v == int(v) and abs(v) < 1e21:
        return str(int(v))
    mant, _, exp = repr(v).partition("e")
    if not exp:
        return mant
    e = int(exp)
    sign = "-" if mant.startswith("-") else ""
    digits = mant.lstrip("-").replace(".", "")
    if -7 < e < 0:  # JavaScript writes 1.5e-5 as 0.000015
        return sign + "0." + "0" * (-e - 1) + digits
    return mant + "e" + ("-" if e < 0 else "+") + str(abs(e))


def _js_json(v):
    """JSON as JavaScript's JSON.stringify writes it (no spaces, numbers as _js_number)."""
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if v is None:
        return "null"
    if isinstance(v, (bool, int, float)):
        return _js_number(v)
    if isinstance(v, dict):
        return "{" + ",".join(json.dumps(str(k), ensure_ascii=False) + ":" + _js_json(x) for k, x in v.items()) + "}"
    if isinstance(v, (list, tuple)):
        return "[" + ",".join(_js_json(x) for x in v) + "]"
    return json.dumps(str(v), ensure_ascii=False)


def _lookup(path, sample, item):
    keys = re.findall(r"[^.\\[\\]\\s]+", path)  # "a.b[0].c" -> a, b, 0, c
    root, keys = keys[0], keys[1:]
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
    return value if isinstance(value, str) else _js_json(value)


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
  /** pip packages the emitted code imports. */
  packages: Set<string>;
  next: number;
}

/** The pip package each text_similarity metric's translation imports. */
const METRIC_PACKAGE: Record<string, string> = {
  fuzzy_match: 'rapidfuzz',
  bleu: 'sacrebleu',
  gleu: 'nltk',
  meteor: 'nltk',
  rouge_1: 'rouge-score',
  rouge_2: 'rouge-score',
  rouge_3: 'rouge-score',
  rouge_4: 'rouge-score',
  rouge_5: 'rouge-score',
  rouge_l: 'rouge-score',
};

/**
 * Import names of the packages OpenAI documents for its Python grader image, with their pip names
 * (docs/python-packages.md); other imports are taken to be the standard library.
 */
export const PIP_NAME: Record<string, string> = {
  numpy: 'numpy',
  scipy: 'scipy',
  sympy: 'sympy',
  pandas: 'pandas',
  rapidfuzz: 'rapidfuzz',
  sklearn: 'scikit-learn',
  rouge_score: 'rouge-score',
  deepdiff: 'deepdiff',
  jsonschema: 'jsonschema',
  pydantic: 'pydantic',
  yaml: 'pyyaml',
  nltk: 'nltk',
  sqlparse: 'sqlparse',
  rdkit: 'rdkit',
  skbio: 'scikit-bio',
  ast_grep_py: 'ast-grep-py',
  sacrebleu: 'sacrebleu',
};

/** Top-level modules a Python source imports ("import a.b, c" / "from d.e import f"), in order of appearance. */
export function pythonImports(code: string): string[] {
  const found: string[] = [];
  for (const m of code.matchAll(
    /^[ \t]*(?:from[ \t]+([A-Za-z_][\w.]*)[ \t]+import|import[ \t]+([A-Za-z_][\w.]*(?:[ \t]*(?:as[ \t]+\w+)?[ \t]*,[ \t]*[A-Za-z_][\w.]*)*))/gm,
  )) {
    const names = m[1] !== undefined ? [m[1]] : m[2].split(',').map((x) => x.trim().split(/\s+/)[0]);
    for (const n of names) {
      const top = n.split('.')[0];
      if (!found.includes(top)) found.push(top);
    }
  }
  return found;
}

function addImports(code: string, e: Emitter): void {
  for (const mod of pythonImports(code)) if (Object.prototype.hasOwnProperty.call(PIP_NAME, mod)) e.packages.add(PIP_NAME[mod]);
}

/** A grader that needs a judge model: the generated reward function has none. */
function refuseJudge(path: string, what: string): never {
  throw new GraderExportError(
    path,
    `${what} needs a judge model, and the exported TRL reward function runs none`,
    'grade with a python grader or a built-in type, or replace this grader in the script with a reward function that calls your judge endpoint',
  );
}

/** Emits one function per (sub-)grader; returns its Python name. */
function emit(spec: GraderSpec, path: string, e: Emitter): string {
  const fn = `_grader_${e.next++}`;
  const head = `def ${fn}(sample, item):\n    # ${spec.type} grader ${pyStr(path)}`;
  switch (spec.type) {
    case 'string_check':
      e.helpers.add(RENDER);
      e.defs.push(
        `${head}\n    a = _render(${pyStr(spec.input)}, sample, item)\n    b = _render(${pyStr(spec.reference)}, sample, item)\n` +
          `    return 1.0 if ${OPS[spec.operation]} else 0.0\n`,
      );
      return fn;
    case 'text_similarity': {
      if (spec.evaluation_metric === 'cosine') return refuseJudge(path, 'text_similarity "cosine" (embeddings)');
      e.helpers.add(RENDER);
      e.helpers.add(SIMILARITY);
      e.packages.add(METRIC_PACKAGE[spec.evaluation_metric]);
      // pass_threshold only marks pass/fail (OpenAI's semantics): the reward is the metric itself.
      e.defs.push(
        `${head}\n    a = _render(${pyStr(spec.input)}, sample, item)\n    b = _render(${pyStr(spec.reference)}, sample, item)\n` +
          `    return _similarity(${pyStr(spec.evaluation_metric)}, a, b)\n`,
      );
      return fn;
    }
    case 'score_model':
    case 'label_model':
      return refuseJudge(path, `a ${spec.type} grader`);
    case 'python': {
      e.helpers.add(AS_FLOAT);
      addImports(spec.source, e);
      const ns = `_ns_${fn}`;
      e.defs.push(
        `${ns} = {}\nexec(${pyStr(spec.source)}, ${ns})  # the Python grader's own source\n\n\n` +
          `${head}\n    return _as_float(${ns}["grade"](sample, item))\n`,
      );
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

/** A grader as Python source and the pip packages that source imports. */
export interface PythonGrader {
  /** Defines `grade(sample, item)` returning a float or None; stdlib imports (json, math, re) at the top. */
  source: string;
  /** pip names, sorted (e.g. ["rapidfuzz", "rouge-score"]). */
  packages: string[];
}

/**
 * The grader as Python: a python grader verbatim, built-in specs translated. Throws GraderExportError for
 * JS/TS, Cherry extras and graders that need a judge model.
 */
export function graderToPythonModule(source: GraderSource): PythonGrader {
  const prelude = 'import json\nimport math\nimport re\n';
  const e: Emitter = { defs: [], helpers: new Set(), packages: new Set(), next: 0 };
  if (source.kind === 'python') {
    addImports(source.code, e);
    // The user's own grader, verbatim: it already defines grade(sample, item).
    const text = `${prelude}\n# ---- grader ${pyStr(source.name ?? 'grader')} (Python source from Cherry) ----\n${source.code.trimEnd()}\n`;
    return { source: text, packages: [...e.packages].sort() };
  }
  if (source.kind !== 'spec') return refuseExport(source.name ?? 'grader', 'javascript');
  const top = emit(source.spec, source.spec.name, e);
  const helpers = [...e.helpers].map((h) => h.trim());
  const text = [prelude, ...helpers, ...e.defs.map((d) => d.trimEnd()), `grade = ${top}`].join('\n\n\n') + '\n';
  return { source: text, packages: [...e.packages].sort() };
}

/** The Python source of graderToPythonModule. */
export function graderToPython(source: GraderSource): string {
  return graderToPythonModule(source).source;
}
