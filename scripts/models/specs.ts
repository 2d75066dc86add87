// The recipes of Cherry's built-in models: one small char-level Llama per task family, pretrained on
// text of its task domain (prompts and unpaired domain text, never the task's answers) and then
// supervised fine-tuned on the task's SFT labels of the train split. Everything is seeded.
import type { LlamaConfig } from '../../src/model';
import { CHERRY_SPECIAL, CHERRY_VOCAB_SIZE } from '../../src/tokenizer';
import { getTask, type Task } from '../../src/tasks';
import type { Item } from '../../src/graders/types';
import { Rng } from '../../src/util/rng';

/** One training phase (pretraining or SFT). */
export interface PhaseSpec {
  /** Number of optimizer steps at most. */
  steps: number;
  /** Rows per step. */
  batchSize: number;
  /** Peak learning rate (linear warm-up, then cosine decay to 10% of it at `steps`). */
  learningRate: number;
  /** Warm-up steps. */
  warmup: number;
  /** End the phase after this many steps, though the learning-rate schedule spans `steps` (absent: all `steps`). */
  stopAfter?: number;
}

/** The recipe of one built-in model. */
export interface ModelSpec {
  /** Folder name under public/models. */
  name: string;
  /** The task it serves (its sftTarget labels are the SFT data). */
  task: string;
  /** Seed of the initial weights and of every batch draw. */
  seed: number;
  /** Architecture. */
  config: LlamaConfig;
  /** Number of train-split items drawn for pretraining text and SFT. */
  trainItems: number;
  /** Pretraining on domain text. */
  pretrain: PhaseSpec;
  /** Supervised fine-tuning on the task's labels. */
  sft: PhaseSpec;
  /** Evaluate the validation split every this many SFT steps (temperature 1, 8 samples per prompt). */
  evalEvery: number;
  /** Validation prompts per check. */
  evalPrompts: number;
  /** Stop SFT at a check whose validation mean reward is at least this (the baseline band is 0.15–0.75);
   *  null: run every SFT step (arithmetic: its lesson needs the SFT model at the cap its labels allow). */
  stopAt: number | null;
  /** One line of pretraining text from the train items (never a prompt's answer). */
  domainText(items: readonly Item[], rng: Rng): string;
  /** What the pretraining text is, for the model card. */
  domainTextDoc: string;
}

/** 4 layers, width 64, 4 heads, SwiGLU 172, tied embeddings, char vocabulary: about 0.2M parameters. */
export function tinyConfig(maxPositions: number): LlamaConfig {
  return {
    architecture: 'LlamaForCausalLM',
    vocabSize: CHERRY_VOCAB_SIZE,
    hiddenSize: 64,
    intermediateSize: 172,
    numLayers: 4,
    numHeads: 4,
    numKVHeads: 4,
    headDim: 16,
    maxPositionEmbeddings: maxPositions,
    rmsNormEps: 1e-5,
    ropeTheta: 10000,
    tieWordEmbeddings: true,
    attentionBias: false,
    bosTokenId: CHERRY_SPECIAL.bos,
    eosTokenIds: [CHERRY_SPECIAL.eos],
  };
}

const str = (x: unknown): string => (typeof x === 'string' ? x : JSON.stringify(x));
/** k random prompts of the train items joined by a space. */
const prompts =
  (k: number) =>
  (items: readonly Item[], rng: Rng): string =>
    Array.from({ length: k }, () => str(rng.pick(items).prompt)).join(' ');

const phase = (steps: number, batchSize: number, learningRate: number, warmup: number): PhaseSpec => ({
  steps,
  batchSize,
  learningRate,
  warmup,
});

export const MODEL_SPECS: readonly ModelSpec[] = [
  {
    name: 'cherry-arith',
    task: 'arithmetic',
    seed: 101,
    config: tinyConfig(64),
    trainItems: 20000,
    // SFT stops at a fixed step of its 9000-step schedule, not on a reward threshold: by step 7500 the model
    // sits near the cap its labels allow, and RFT from there goes furthest past them (snapshots at 5500, 6500,
    // 7500 and 9000 compared in BENCHMARKS.md, "Built-in models").
    pretrain: phase(100, 64, 2e-3, 10),
    sft: { ...phase(9000, 64, 2e-3, 100), stopAfter: 7500 },
    evalEvery: 250,
    evalPrompts: 64,
    stopAt: null,
    domainText: prompts(3),
    domainTextDoc: 'three train-split prompts per line, without answers ("56+78= 340-12= 9+45=")',
  },
  {
    name: 'cherry-countdown',
    task: 'countdown',
    seed: 202,
    config: tinyConfig(64),
    trainItems: 20000,
    pretrain: phase(150, 48, 3e-3, 20),
    sft: phase(1500, 48, 3e-3, 50),
    evalEvery: 100,
    evalPrompts: 32,
    stopAt: 0.35,
    domainText: prompts(2),
    domainTextDoc: 'two train-split prompts per line, without answers ("3 7 12 -> 33: 4 9 1 -> 37:")',
  },
  {
    name: 'cherry-json',
    task: 'json-extract',
    seed: 303,
    config: tinyConfig(128),
    trainItems: 20000,
    pretrain: phase(100, 16, 3e-3, 20),
    sft: phase(800, 16, 3e-3, 50),
    evalEvery: 100,
    evalPrompts: 16,
    stopAt: 0.35,
    domainText: (items, rng) => {
      // A sentence of one record, then a JSON object mixing the fields of three other records:
      // JSON syntax and the domain's names, ages and cities, never the sentence's own answer.
      const [a, b, c, d] = [0, 0, 0, 0].map(() => rng.pick(items));
      const sentence = str(a.prompt).split('\n')[0];
      return `${sentence} ${JSON.stringify({ name: b.name, age: c.age, city: d.city })}`;
    },
    domainTextDoc: 'a record sentence, then a JSON object whose name, age and city come from three other records',
  },
  {
    name: 'cherry-reverse',
    task: 'reverse-words',
    seed: 404,
    config: tinyConfig(96),
    trainItems: 20000,
    pretrain: phase(100, 32, 3e-3, 20),
    sft: phase(800, 32, 3e-3, 50),
    evalEvery: 50,
    evalPrompts: 24,
    stopAt: 0.45,
    domainText: prompts(2),
    domainTextDoc: 'two train-split prompts per line, without answers ("reverse cat dog owl: reverse sun map:")',
  },
  {
    name: 'cherry-opposites',
    task: 'reward-hacking',
    seed: 505,
    config: tinyConfig(96),
    trainItems: 1000,
    pretrain: phase(60, 32, 3e-3, 10),
    sft: phase(200, 32, 3e-3, 20),
    evalEvery: 100,
    evalPrompts: 12,
    stopAt: 2,
    domainText: prompts(3),
    domainTextDoc: 'three train-split prompts per line, without answers ("opposite of hot: opposite of up:")',
  },
];

/** The task of a spec. */
export function specTask(spec: ModelSpec): Task {
  return getTask(spec.task);
}
