// The generated TRL script: it compiles (python3 -m py_compile), it carries the mapped GRPOConfig values,
// and run under python3 with two small stand-ins for the `trl` and `datasets` packages (they record the
// GRPOConfig arguments and call the reward function once on the exported rows, nothing more) its reward
// function gives the rewards Cherry's own graders give.
import { test, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { trlScript, TrlExportError } from '../../src/export/trlScript';
import { GraderExportError, itemsToRftJsonl } from '../../src/export/openai';
import { DEFAULT_CONFIG, resolveConfig } from '../../src/rl/config';
import { tryGrader } from '../../src/graders';
import { arithmetic } from '../../src/tasks';
import type { GraderSource, Item } from '../../src/graders/types';
import type { SimilarityMetric } from '../../src/graders/spec';
import { METRICS } from '../../src/graders/metrics';
import { RAPIDFUZZ_FILES } from '../../src/graders/sandbox/pyRapidfuzz';

// Like Arrow, which datasets uses: a column holding both ints and floats becomes float64 (1 -> 1.0).
const STUB_DATASETS = `import json
class _DS:
    def __init__(self, rows):
        self.rows = rows
    def rename_column(self, a, b):
        return _DS([{(b if k == a else k): v for k, v in r.items()} for r in self.rows])
def load_dataset(kind, data_files, split):
    assert kind == "json" and split == "train"
    with open(data_files) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    for k in rows[0]:
        vals = [r.get(k) for r in rows]
        if any(isinstance(v, float) for v in vals) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vals):
            for r in rows:
                r[k] = float(r[k])
    return _DS(rows)
`;
// GRPOTrainer stand-in: calls the reward function once, with the keyword arguments TRL passes.
const STUB_TRL = `import json, os
__version__ = os.environ.get("STUB_TRL_VERSION", "1.6.0")
class GRPOConfig:
    def __init__(self, **kw):
        self.kw = kw
        self.output_dir = kw["output_dir"]
class GRPOTrainer:
    def __init__(self, model, reward_funcs, args, train_dataset, eval_dataset=None, peft_config=None):
        self.model, self.reward, self.args, self.train_ds, self.eval_ds = model, reward_funcs, args, train_dataset, eval_dataset
        self.peft = None if peft_config is None else peft_config.kw
    def train(self):
        rows = self.train_ds.rows
        texts = json.loads(os.environ["STUB_COMPLETIONS"])
        cols = {k: [r[k] for r in rows] for k in rows[0] if k != "prompt"}
        rewards = self.reward(prompts=[r["prompt"] for r in rows], completions=[[{"role": "assistant", "content": t}] for t in texts],
                              completion_ids=[[0] * len(t) for t in texts], trainer_state=None, **cols)
        print(json.dumps({"config": self.args.kw, "rewards": rewards, "model": self.model, "eval": self.eval_ds is not None, "peft": self.peft}))
    def save_model(self, d):
        pass
`;

// Stand-ins for the metric packages (not installable here): each checks that it is called as the real
// package is called (argument types and order) and answers the value Cherry's own metric gives for those
// texts, from a table the test computes (STUB_METRICS). rapidfuzz is not a stand-in: it is the real
// rapidfuzz port that Python graders get in Cherry.
// peft stand-in: keeps LoraConfig's keyword arguments.
const STUB_PEFT = `class LoraConfig:
    def __init__(self, **kw):
        self.kw = kw
`;
const STUB_METRIC_TABLE = `import json, os
def value(metric, output, reference):
    return json.loads(os.environ["STUB_METRICS"])[metric][output + "\\u0000" + reference]
`;
const STUB_SACREBLEU = `from _metric_table import value
class _Score:
    def __init__(self, score):
        self.score = score
def sentence_bleu(hypothesis, references):
    assert isinstance(hypothesis, str) and isinstance(references, list) and len(references) == 1
    return _Score(100.0 * value("bleu", hypothesis, references[0]))
`;
const STUB_GLEU = `from _metric_table import value
def sentence_gleu(references, hypothesis):
    assert isinstance(references[0], list) and isinstance(hypothesis, list)
    return value("gleu", " ".join(hypothesis), " ".join(references[0]))
`;
const STUB_METEOR = `from _metric_table import value
def meteor_score(references, hypothesis):
    assert isinstance(references[0], list) and isinstance(hypothesis, list)
    return value("meteor", " ".join(hypothesis), " ".join(references[0]))
`;
const STUB_ROUGE = `from _metric_table import value
class _S:
    def __init__(self, f):
        self.fmeasure = f
class RougeScorer:
    def __init__(self, names):
        self.names = names
    def score(self, target, prediction):
        key = {"rougeL": "rouge_l"}.get(self.names[0], "rouge_" + self.names[0][5:])
        return {self.names[0]: _S(value(key, prediction, target))}
`;

let stubs = '';
beforeAll(() => {
  stubs = mkdtempSync(join(tmpdir(), 'cherry-trl-stubs-'));
  const files: Record<string, string> = {
    'datasets.py': STUB_DATASETS,
    'trl.py': STUB_TRL,
    'peft.py': STUB_PEFT,
    '_metric_table.py': STUB_METRIC_TABLE,
    'sacrebleu.py': STUB_SACREBLEU,
    'nltk/__init__.py': '',
    'nltk/translate/__init__.py': '',
    'nltk/translate/gleu_score.py': STUB_GLEU,
    'nltk/translate/meteor_score.py': STUB_METEOR,
    'rouge_score/__init__.py': '',
    'rouge_score/rouge_scorer.py': STUB_ROUGE,
    ...RAPIDFUZZ_FILES,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(stubs, path)), { recursive: true });
    writeFileSync(join(stubs, path), text);
  }
});

interface StubRun {
  config: Record<string, unknown>;
  rewards: (number | null)[];
  model: string;
  eval: boolean;
  peft: Record<string, unknown> | null;
}

/** Writes the script and its JSONL into a fresh folder, py_compiles it, runs it with the stubs. */
function runScript(script: string, items: Item[], completions: string[], env: Record<string, string> = {}): StubRun {
  const dir = mkdtempSync(join(tmpdir(), 'cherry-trl-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'train_grpo.py'), script);
  writeFileSync(join(dir, 'train.jsonl'), itemsToRftJsonl(items));
  writeFileSync(join(dir, 'valid.jsonl'), itemsToRftJsonl(items));
  execFileSync('python3', ['-m', 'py_compile', join(dir, 'train_grpo.py')]);
  const out = execFileSync('python3', [join(dir, 'train_grpo.py')], {
    cwd: tmpdir(),
    env: { ...process.env, PYTHONPATH: stubs, STUB_COMPLETIONS: JSON.stringify(completions), STUB_METRICS: '{}', ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop() ?? ''); // the stub prints one JSON line
}

const ITEMS: Item[] = [
  { prompt: '56+78=', reference_answer: '134', a: 56, b: 78, op: '+' },
  { prompt: '10+5=', reference_answer: '15', a: 10, b: 5, op: '+' },
  { prompt: '99-9=', reference_answer: '90', a: 99, b: 9, op: '-' },
];

const PY_EXACT: GraderSource = {
  kind: 'python',
  name: 'exact answer',
  code: 'def grade(sample, item):\n    return 1.0 if sample["output_text"].strip() == str(item["reference_answer"]) else 0.0\n',
};

test('default config: compiles, carries the mapped values, rewards from the Python grader', () => {
  const { script } = trlScript({
    config: DEFAULT_CONFIG,
    grader: PY_EXACT,
    model: 'Qwen/Qwen2.5-0.5B-Instruct',
    trainFile: 'train.jsonl',
    validationFile: 'valid.jsonl',
    outputDir: 'out',
    title: 'arithmetic',
  });
  for (const s of [
    'learning_rate=0.0002,',
    'num_generations=8,',
    'beta=0.0,',
    'epsilon=0.2,',
    'epsilon_high=0.2,',
    'max_steps=60,',
    'per_device_train_batch_size=64,',
    'loss_type="grpo",',
    'scale_rewards="group",',
    'seed=42,',
  ]) {
    expect(script).toContain(s);
  }
  const r = runScript(script, ITEMS, ['134', ' 15\n', '91']);
  expect(r.rewards).toEqual([1, 1, 0]);
  expect(r.model).toBe('Qwen/Qwen2.5-0.5B-Instruct');
  expect(r.eval).toBe(true);
  expect(r.peft).toBeNull();
  expect(script).not.toContain('peft');
  expect(r.config).toEqual({
    output_dir: 'out',
    max_steps: 60,
    per_device_train_batch_size: 64,
    gradient_accumulation_steps: 1,
    num_generations: 8,
    learning_rate: 0.0002,
    lr_scheduler_type: 'constant',
    warmup_ratio: 0,
    weight_decay: 0,
    adam_beta1: 0.9,
    adam_beta2: 0.999,
    adam_epsilon: 1e-8,
    max_grad_norm: 1,
    beta: 0,
    epsilon: 0.2,
    epsilon_high: 0.2,
    num_iterations: 1,
    loss_type: 'grpo',
    scale_rewards: 'group',
    mask_truncated_completions: false,
    temperature: 1,
    top_p: 1,
    top_k: 0,
    max_completion_length: 32,
    seed: 42,
    eval_strategy: 'steps',
    eval_steps: 10,
    per_device_eval_batch_size: 64,
    save_strategy: 'no',
    logging_steps: 1,
    report_to: 'none',
  });
});

test('a LoRA run passes its settings rows to peft LoraConfig as peft_config, and pip installs peft', () => {
  const lora = (over: Parameters<typeof resolveConfig>[0]) =>
    trlScript({ config: resolveConfig(over), grader: PY_EXACT, model: 'm', trainFile: 'train.jsonl', outputDir: 'out', title: 'lora' });
  const { script, notes } = lora({ lora_rank: 16, lora_alpha: 32, lora_dropout: 0.05, use_rslora: true });
  expect(script).toMatch(/pip install .*\bpeft\b/);
  expect(runScript(script, ITEMS, ['134', '15', '90']).peft).toEqual({
    target_modules: 'all-linear',
    r: 16,
    lora_alpha: 32,
    lora_dropout: 0.05,
    use_rslora: true,
    task_type: 'CAUSAL_LM',
  });
  const qv = lora({ lora_rank: 4, lora_target_modules: 'q_proj,v_proj' });
  expect(runScript(qv.script, ITEMS, ['1', '2', '3']).peft).toMatchObject({
    target_modules: ['q_proj', 'v_proj'],
    r: 4,
    lora_alpha: 32,
    use_rslora: false,
  });
  expect(qv.notes.join(' ')).toContain('GPT-2 use target_modules=["c_attn"]');
  expect(notes.join(' ')).not.toContain('GPT-2');
});

test("a translated multi of string_checks gives the same rewards as Cherry's own graders", async () => {
  const sc = (name: string, operation: 'eq' | 'ne' | 'like' | 'ilike', reference = '{{ item.reference_answer }}') => ({
    type: 'string_check' as const,
    name,
    input: '{{ sample.output_text }}',
    reference,
    operation,
  });
  const grader: GraderSource = {
    kind: 'spec',
    spec: {
      type: 'multi',
      name: 'mix',
      graders: { exact: sc('exact', 'eq'), has: sc('has', 'ilike', 'X{{ item.op }}'), differ: sc('differ', 'ne', '{{ item.prompt }}') },
      calculate_output: '0.5 * exact + 0.25 * has + 0.25 * (1 - differ) ^ 2',
    },
  };
  const config = resolveConfig({ algo: 'dapo', learning_rate: 1e-6, beta: 0.04, warmup_ratio: 0.1, top_k: 20, checkpoint_interval: 5 });
  const { script, notes } = trlScript({ config, grader, model: 'm', trainFile: 'train.jsonl', outputDir: 'out', title: 'mix' });
  const completions = ['134', 'x+ 15', '99-9='];
  const r = runScript(script, ITEMS, completions);
  const cherry = await tryGrader(
    grader,
    completions.map((c, i) => ({ sample: c, item: ITEMS[i] })),
  );
  // By hand: row 1 exact → 0.5; row 2 contains "x+" (ilike "X+") → 0.25; row 3 equals the prompt (differ = 0) → 0.25.
  expect(cherry.map((c) => c.reward)).toEqual([0.5, 0.25, 0.25]);
  expect(r.rewards).toEqual([0.5, 0.25, 0.25]);
  expect(r.eval).toBe(false);
  expect(r.config).toMatchObject({
    learning_rate: 1e-6,
    beta: 0.04,
    epsilon_high: 0.28,
    loss_type: 'dapo',
    lr_scheduler_type: 'constant_with_warmup',
    top_k: 20,
    save_strategy: 'steps',
    save_steps: 5,
    eval_strategy: 'no',
  });
  expect(notes.join(' ')).toMatch(/dynamic_sampling is on/);
  expect(script).toContain('dynamic_sampling is on');
});

test("every text_similarity metric: the pip line installs what it imports, and the rewards equal Cherry's", async () => {
  const metrics: SimilarityMetric[] = ['fuzzy_match', 'bleu', 'gleu', 'meteor', 'rouge_1', 'rouge_2', 'rouge_l'];
  const graders = Object.fromEntries(
    metrics.map((m) => [
      m,
      {
        type: 'text_similarity' as const,
        name: m,
        input: '{{ sample.output_text }}',
        reference: '{{ item.reference_answer }}',
        evaluation_metric: m,
        pass_threshold: 0.5,
      },
    ]),
  );
  const grader: GraderSource = { kind: 'spec', spec: { type: 'multi', name: 'all', graders, calculate_output: metrics.join(' + ') } };
  const items: Item[] = [
    { prompt: 'p', reference_answer: 'the cat sat on the mat' },
    { prompt: 'q', reference_answer: 'one two three four' },
  ];
  const completions = ['the cat sat on a mat', 'four three two one'];
  const table: Record<string, Record<string, number>> = {};
  for (const m of metrics) {
    table[m] = Object.fromEntries(
      completions.map((c, i) => [`${c}\u0000${String(items[i].reference_answer)}`, METRICS[m](c, String(items[i].reference_answer))]),
    );
  }
  const { script } = trlScript({ config: DEFAULT_CONFIG, grader, model: 'm', trainFile: 'train.jsonl', outputDir: 'out', title: 't' });
  expect(script).toContain('pip install "trl>=1.6" datasets accelerate nltk rapidfuzz rouge-score sacrebleu\n');
  expect(script).toContain('python -m nltk.downloader wordnet');
  const r = runScript(script, items, completions, { STUB_METRICS: JSON.stringify(table) });
  const cherry = await tryGrader(
    grader,
    completions.map((c, i) => ({ sample: c, item: items[i] })),
  );
  // pass_threshold never turns the metric into 0/1: the sums are of the metric values (none is exactly 0 or 1).
  expect(cherry.every((c) => c.reward !== null && !Number.isInteger(c.reward))).toBe(true);
  r.rewards.forEach((v, i) => expect(v).toBeCloseTo(cherry[i].reward ?? NaN, 12));
});

test('items are templated as in Cherry: 1 (even after Arrow made it 1.0), 0.000015, 1e-7, true, compact JSON', async () => {
  const sc = (name: string, reference: string) => ({
    type: 'string_check' as const,
    name,
    input: '{{ sample.output_text }}',
    reference,
    operation: 'eq' as const,
  });
  const grader: GraderSource = { kind: 'spec', spec: sc('n', '{{ item.n }}|{{ item.flag }}|{{ item.obj }}') };
  // Row 1's n is an int in the JSONL, row 2's a float: the column becomes float64, so row 1 reads 1.0.
  const items: Item[] = [
    { prompt: 'a', n: 1, flag: true, obj: { a: [1, 2.5] } },
    { prompt: 'b', n: 0.000015, flag: false, obj: null },
    { prompt: 'c', n: 1e-7, flag: true, obj: 'x' },
  ];
  const completions = ['1|true|{"a":[1,2.5]}', '0.000015|false|null', '1e-7|true|x'];
  const cherry = await tryGrader(
    grader,
    completions.map((c, i) => ({ sample: c, item: items[i] })),
  );
  expect(cherry.map((c) => c.reward)).toEqual([1, 1, 1]);
  const { script } = trlScript({ config: DEFAULT_CONFIG, grader, model: 'm', trainFile: 'train.jsonl', outputDir: 'out', title: 't' });
  expect(runScript(script, items, completions).rewards).toEqual([1, 1, 1]);
});

test('invalid output: excluded (None) needs TRL >= 1.6, pinned and checked; "zero" returns 0.0 on any TRL', () => {
  const grader: GraderSource = {
    kind: 'python',
    name: 'p',
    code: 'def grade(sample, item):\n    return None if sample["output_text"] == "?" else 1.0\n',
  };
  const base = { config: DEFAULT_CONFIG, grader, model: 'm', trainFile: 'train.jsonl', outputDir: 'out', title: 't' };
  const excluded = trlScript(base);
  expect(excluded.notes.join(' ')).toMatch(/excluded from its group's statistics, as in Cherry: that needs TRL >= 1\.6/);
  expect(runScript(excluded.script, ITEMS.slice(0, 2), ['?', '1']).rewards).toEqual([null, 1]);
  expect(() => runScript(excluded.script, ITEMS.slice(0, 2), ['?', '1'], { STUB_TRL_VERSION: '1.5.2' })).toThrow(
    /TRL 1\.5\.2 counts a None reward as 0; this script needs trl>=1\.6/,
  );
  const zero = trlScript({ ...base, invalidReward: 'zero' });
  expect(zero.script).toContain('pip install "trl>=0.22" datasets accelerate\n');
  expect(runScript(zero.script, ITEMS.slice(0, 2), ['?', '1'], { STUB_TRL_VERSION: '0.22.0' }).rewards).toEqual([0, 1]);
});

test('Python graders: the pip line installs the packages they import', () => {
  const grader: GraderSource = {
    kind: 'python',
    name: 'p',
    code: 'import math, json\nimport numpy as np\nfrom rapidfuzz import fuzz, utils\nfrom sklearn.metrics import f1_score\n\ndef grade(sample, item):\n    return 1.0\n',
  };
  const { script } = trlScript({ config: DEFAULT_CONFIG, grader, model: 'm', trainFile: 'train.jsonl', outputDir: 'out', title: 't' });
  expect(script).toContain('pip install "trl>=1.6" datasets accelerate numpy rapidfuzz scikit-learn\n');
});

test('num_generations 1 (a config not checked by resolveConfig, e.g. an old saved run) is refused with what to do', () => {
  expect(() =>
    trlScript({
      config: { ...DEFAULT_CONFIG, num_generations: 1 },
      grader: PY_EXACT,
      model: 'm',
      trainFile: 't',
      outputDir: 'o',
      title: 't',
    }),
  ).toThrow(/num_generations is 1, and GRPOTrainer needs at least 2 completions per prompt.*Set num_generations to 2 or more/);
});

test('model graders and cosine are refused for TRL: the reward function runs no judge', () => {
  const judge: GraderSource = {
    kind: 'spec',
    spec: { type: 'score_model', name: 'j', model: 'm', input: [{ role: 'user', content: '{{ sample.output_text }}' }] },
  };
  expect(() => trlScript({ config: DEFAULT_CONFIG, grader: judge, model: 'm', trainFile: 't', outputDir: 'o', title: 't' })).toThrow(
    /grader 'j' cannot be exported: a score_model grader needs a judge model/,
  );
});

test('SFT runs and JS graders are refused with what to do', () => {
  const base = { model: 'm', trainFile: 'train.jsonl', outputDir: 'out', title: 't' };
  expect(() => trlScript({ ...base, config: resolveConfig({ algo: 'sft' }), grader: PY_EXACT })).toThrow(TrlExportError);
  expect(() => trlScript({ ...base, config: DEFAULT_CONFIG, grader: arithmetic.defaultGrader })).toThrow(GraderExportError);
  const rloo = trlScript({ ...base, config: resolveConfig({ algo: 'rloo' }), grader: PY_EXACT });
  expect(rloo.notes[0]).toMatch(/algo 'rloo' has no exact GRPOTrainer form/);
  expect(rloo.script).toContain('scale_rewards="none",');
});
