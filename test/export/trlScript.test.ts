// The generated TRL script: it compiles (python3 -m py_compile), it carries the mapped GRPOConfig values,
// and run under python3 with two small stand-ins for the `trl` and `datasets` packages (they record the
// GRPOConfig arguments and call the reward function once on the exported rows, nothing more) its reward
// function gives the rewards Cherry's own graders give.
import { test, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trlScript, TrlExportError } from '../../src/export/trlScript';
import { GraderExportError, itemsToRftJsonl } from '../../src/export/openai';
import { DEFAULT_CONFIG, resolveConfig } from '../../src/rl/config';
import { tryGrader } from '../../src/graders';
import { arithmetic } from '../../src/tasks';
import type { GraderSource, Item } from '../../src/graders/types';

const STUB_DATASETS = `import json
class _DS:
    def __init__(self, rows):
        self.rows = rows
    def rename_column(self, a, b):
        return _DS([{(b if k == a else k): v for k, v in r.items()} for r in self.rows])
def load_dataset(kind, data_files, split):
    assert kind == "json" and split == "train"
    with open(data_files) as f:
        return _DS([json.loads(line) for line in f if line.strip()])
`;
const STUB_TRL = `import json, os
class GRPOConfig:
    def __init__(self, **kw):
        self.kw = kw
        self.output_dir = kw["output_dir"]
class GRPOTrainer:
    def __init__(self, model, reward_funcs, args, train_dataset, eval_dataset=None):
        self.model, self.reward, self.args, self.train_ds, self.eval_ds = model, reward_funcs, args, train_dataset, eval_dataset
    def train(self):
        rows = self.train_ds.rows
        texts = json.loads(os.environ["STUB_COMPLETIONS"])
        cols = {k: [r[k] for r in rows] for k in rows[0] if k != "prompt"}
        rewards = self.reward(prompts=[r["prompt"] for r in rows], completions=[[{"role": "assistant", "content": t}] for t in texts],
                              completion_ids=[[0] * len(t) for t in texts], trainer_state=None, **cols)
        print(json.dumps({"config": self.args.kw, "rewards": rewards, "model": self.model, "eval": self.eval_ds is not None}))
    def save_model(self, d):
        pass
`;

let stubs = '';
beforeAll(() => {
  stubs = mkdtempSync(join(tmpdir(), 'cherry-trl-stubs-'));
  writeFileSync(join(stubs, 'datasets.py'), STUB_DATASETS);
  writeFileSync(join(stubs, 'trl.py'), STUB_TRL);
});

interface StubRun { config: Record<string, unknown>; rewards: (number | null)[]; model: string; eval: boolean }

/** Writes the script and its JSONL into a fresh folder, py_compiles it, runs it with the stubs. */
function runScript(script: string, items: Item[], completions: string[]): StubRun {
  const dir = mkdtempSync(join(tmpdir(), 'cherry-trl-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'train_grpo.py'), script);
  writeFileSync(join(dir, 'train.jsonl'), itemsToRftJsonl(items));
  writeFileSync(join(dir, 'valid.jsonl'), itemsToRftJsonl(items));
  execFileSync('python3', ['-m', 'py_compile', join(dir, 'train_grpo.py')]);
  const out = execFileSync('python3', [join(dir, 'train_grpo.py')], {
    cwd: tmpdir(),
    env: { ...process.env, PYTHONPATH: stubs, STUB_COMPLETIONS: JSON.stringify(completions) },
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
  kind: 'python', name: 'exact answer',
  code: 'def grade(sample, item):\n    return 1.0 if sample["output_text"].strip() == str(item["reference_answer"]) else 0.0\n',
};

test('default config: compiles, carries the mapped values, rewards from the Python grader', () => {
  const { script } = trlScript({ config: DEFAULT_CONFIG, grader: PY_EXACT, model: 'Qwen/Qwen2.5-0.5B-Instruct', trainFile: 'train.jsonl', validationFile: 'valid.jsonl', outputDir: 'out', title: 'arithmetic' });
  for (const s of ['learning_rate=0.0002,', 'num_generations=8,', 'beta=0.0,', 'epsilon=0.2,', 'epsilon_high=0.2,', 'max_steps=60,', 'per_device_train_batch_size=64,', 'loss_type="grpo",', 'scale_rewards="group",', 'seed=42,']) {
    expect(script).toContain(s);
  }
  const r = runScript(script, ITEMS, ['134', ' 15\n', '91']);
  expect(r.rewards).toEqual([1, 1, 0]);
  expect(r.model).toBe('Qwen/Qwen2.5-0.5B-Instruct');
  expect(r.eval).toBe(true);
  expect(r.config).toEqual({
    output_dir: 'out', max_steps: 60, per_device_train_batch_size: 64, gradient_accumulation_steps: 1, num_generations: 8,
    learning_rate: 0.0002, lr_scheduler_type: 'constant', warmup_ratio: 0, weight_decay: 0, adam_beta1: 0.9, adam_beta2: 0.999,
    adam_epsilon: 1e-8, max_grad_norm: 1, beta: 0, epsilon: 0.2, epsilon_high: 0.2, num_iterations: 1, loss_type: 'grpo',
    scale_rewards: 'group', mask_truncated_completions: false, temperature: 1, top_p: 1, top_k: 0, max_completion_length: 32,
    seed: 42, eval_strategy: 'steps', eval_steps: 10, per_device_eval_batch_size: 64, save_strategy: 'no', logging_steps: 1, report_to: 'none',
  });
});

test('a translated multi of string_checks gives the same rewards as Cherry\'s own graders', async () => {
  const sc = (name: string, operation: 'eq' | 'ne' | 'like' | 'ilike', reference = '{{ item.reference_answer }}') =>
    ({ type: 'string_check' as const, name, input: '{{ sample.output_text }}', reference, operation });
  const grader: GraderSource = {
    kind: 'spec',
    spec: { type: 'multi', name: 'mix', graders: { exact: sc('exact', 'eq'), has: sc('has', 'ilike', 'X{{ item.op }}'), differ: sc('differ', 'ne', '{{ item.prompt }}') }, calculate_output: '0.5 * exact + 0.25 * has + 0.25 * (1 - differ) ^ 2' },
  };
  const config = resolveConfig({ algo: 'dapo', learning_rate: 1e-6, beta: 0.04, warmup_ratio: 0.1, top_k: 20, checkpoint_interval: 5 });
  const { script, notes } = trlScript({ config, grader, model: 'm', trainFile: 'train.jsonl', outputDir: 'out', title: 'mix' });
  const completions = ['134', 'x+ 15', '99-9='];
  const r = runScript(script, ITEMS, completions);
  const cherry = await tryGrader(grader, completions.map((c, i) => ({ sample: c, item: ITEMS[i] })));
  // By hand: row 1 exact → 0.5; row 2 contains "x+" (ilike "X+") → 0.25; row 3 equals the prompt (differ = 0) → 0.25.
  expect(cherry.map((c) => c.reward)).toEqual([0.5, 0.25, 0.25]);
  expect(r.rewards).toEqual([0.5, 0.25, 0.25]);
  expect(r.eval).toBe(false);
  expect(r.config).toMatchObject({ learning_rate: 1e-6, beta: 0.04, epsilon_high: 0.28, loss_type: 'dapo', lr_scheduler_type: 'constant_with_warmup', top_k: 20, save_strategy: 'steps', save_steps: 5, eval_strategy: 'no' });
  expect(notes.join(' ')).toMatch(/dynamic_sampling is on/);
  expect(script).toContain('dynamic_sampling is on');
});

test('text_similarity translates to the reference packages and still compiles', () => {
  const grader: GraderSource = { kind: 'spec', spec: { type: 'text_similarity', name: 'bleu', input: '{{ sample.output_text }}', reference: '{{ item.reference_answer }}', evaluation_metric: 'bleu', pass_threshold: 0.5 } };
  const { script } = trlScript({ config: DEFAULT_CONFIG, grader, model: 'm', trainFile: 'train.jsonl', outputDir: 'out', title: 't' });
  expect(script).toContain('sacrebleu.sentence_bleu(output, [reference]).score / 100.0');
  expect(script).toContain('return 1.0 if score >= 0.5 else 0.0');
  const dir = mkdtempSync(join(tmpdir(), 'cherry-trl-'));
  writeFileSync(join(dir, 's.py'), script);
  execFileSync('python3', ['-m', 'py_compile', join(dir, 's.py')]);
});

test('SFT runs and JS graders are refused with what to do', () => {
  const base = { model: 'm', trainFile: 'train.jsonl', outputDir: 'out', title: 't' };
  expect(() => trlScript({ ...base, config: resolveConfig({ algo: 'sft' }), grader: PY_EXACT })).toThrow(TrlExportError);
  expect(() => trlScript({ ...base, config: DEFAULT_CONFIG, grader: arithmetic.defaultGrader })).toThrow(GraderExportError);
  const rloo = trlScript({ ...base, config: resolveConfig({ algo: 'rloo' }), grader: PY_EXACT });
  expect(rloo.notes[0]).toMatch(/algo 'rloo' has no exact GRPOTrainer form/);
  expect(rloo.script).toContain('scale_rewards="none",');
});
