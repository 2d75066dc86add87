// The RFT Trainer: orchestration only (the math is in advantages.ts, loss.ts, optim.ts, schedule.ts,
// metrics.ts). One `step()`:
//   rollout (B prompts × G samples, one generate call, one gradeBatch call)
//   → advantages over the step's groups (computeAdvantages, per algo and scale_rewards)
//   → DAPO dynamic sampling when on: keep groups with reward variance, refill from more prompts
//   → pack rows to a bucketed width, mask completions (null rewards and, optionally, truncations out)
//   → μ passes of variableGrads(policyLoss) + guarded AdamW (policyUpdate.ts) at lrAt(step)
//   → with traceGroups > 0, the first groups' log-probs read before and after the update ('update' event)
//   → NaN guard: skipped updates are reported; after max_bad_steps in a row the last good weights return
//   → metrics + every sample through the listener; validation every eval_interval steps, and once before
//     the first update of a fresh run (in step 0's record: the policy that sampled step 0, as its reward).
// algo 'sft' trains on task.sftTarget labels instead (sft.ts). The reference model exists only when
// the run starts with beta > 0. Everything random flows from config.seed.
// LoRA (options.lora): an adapter is attached to the policy (or the one already attached is used);
// only its weights are trained, held by the optimizer, snapshotted and checkpointed, and the KL
// reference is the policy with the adapter switched off (no copy of the weights).
import * as tf from '@tensorflow/tfjs';
import type { Grader, Item } from '../graders/types';
import { llamaFromSafetensors, llamaToSafetensors, Llama, parseHFConfig, toHFConfig, tokenLogprobs } from '../model';
import { momentsOrder } from '../model/weights';
import { attachLora, loraOf, type LoraAdapter, type LoraConfig } from '../model/lora';
import { adapterTensors, adapterToSafetensors } from '../model/peft';
import type { Tokenizer } from '../tokenizer';
import type { Task } from '../tasks/types';
import { Rng } from '../util/rng';
import { computeAdvantages, type AdvantageKind } from './advantages';
import { completionMask, informativeGroups, packSequences, rowsToKeep } from './batch';
import type { CheckpointData, CheckpointReason, CheckpointSink } from './checkpointSink';
import { advantageKind, resolveConfig, type RLConfig } from './config';
import { evaluate } from './evaluate';
import type { EvalRecord, StepMetrics, TrainerListener } from './events';
import { updateConfig } from './liveConfig';
import { rewardMetrics } from './metrics';
import { AdamW, type AdamConfig } from './optim';
import { policyUpdate, type UpdateResult } from './policyUpdate';
import { rollout, type RolloutResult } from './rollout';
import { lrAt, scheduleFromConfig } from './schedule';
import { sftBatch, sftStep } from './sft';
import { buildTraces, tracedRows } from './updateDelta';
import { composeStepMetrics, countInvalid } from './stepMetrics';

export interface TrainerOptions {
  /** The policy, trained in place. The caller owns it (Trainer.dispose leaves it alone). */
  model: Llama;
  /** Tokenizer of the model. */
  tokenizer: Tokenizer;
  /** Where prompts (train split), labels (sft) and validation items come from. */
  task: Task;
  /** Scores completions; the caller owns it. */
  grader: Grader;
  /** Run config; unset fields take DEFAULT_CONFIG and the algo's preset. */
  config?: Partial<RLConfig>;
  /** Receives metrics, samples, evaluations and guard events as they happen. */
  onEvent?: TrainerListener;
  /** Validation prompts per evaluation (greedy, one sample each). Default 32. */
  evalPrompts?: number;
  /** Training items to draw prompts from, in a seeded order reshuffled every pass. Default 4096. */
  trainPool?: number;
  /** Packed rows are padded to a multiple of this width (few distinct shapes). Default 16. */
  bucket?: number;
  /** Receives checkpoints every checkpoint_interval steps and on checkpoint(). */
  checkpoints?: CheckpointSink;
  /**
   * Train a LoRA adapter instead of every weight. The adapter already attached to the model (e.g. loaded
   * from PEFT files to continue a run) is used when its settings are these; otherwise one is attached,
   * seeded from config.seed. It stays attached (the trained policy) after dispose: free it with
   * `trainer.adapter.dispose()`, or merge it.
   */
  lora?: LoraConfig;
  /**
   * Groups per step whose completions' log-probs are read before and after the update (two extra
   * forwards over their rows, no gradient) and emitted as an 'update' event: what the step did to
   * them. Default 0 (off).
   */
  traceGroups?: number;
}

/** The trainer was used after dispose, or its task has no training items. */
export class TrainerStateError extends Error {
  override name = 'TrainerStateError';
}

export class Trainer {
  private cfg: RLConfig;
  private readonly opt: AdamW;
  private readonly adamCfg: AdamConfig;
  private readonly reference: Llama | null;
  /** The LoRA adapter being trained, or null for full fine-tuning. */
  readonly adapter: LoraAdapter | null;
  /** What the optimizer trains: the adapter's weights, or all of the model's. */
  private readonly trainable: Map<string, tf.Variable>;
  private rng: Rng;
  private readonly pool: Item[];
  private order: Item[] = [];
  private cursor = 0;
  private done = 0;
  private good: Map<string, tf.Tensor> | null = null;
  private disposed = false;

  constructor(private readonly o: TrainerOptions) {
    this.cfg = resolveConfig(o.config ?? {});
    this.adamCfg = {
      beta1: this.cfg.adam_beta1,
      beta2: this.cfg.adam_beta2,
      epsilon: this.cfg.adam_epsilon,
      weightDecay: this.cfg.weight_decay,
      maxGradNorm: this.cfg.max_grad_norm,
      noDecay: (k) => k.endsWith('norm.weight') || k.endsWith('.bias'),
    };
    if (!o.lora && loraOf(o.model))
      throw new TrainerStateError(
        'the model carries a LoRA adapter; pass its settings as lora to train it, or merge it into the weights first.',
      );
    this.adapter = o.lora ? loraFor(o.model, o.lora, this.cfg.seed) : null;
    this.trainable = this.adapter?.params ?? o.model.params;
    this.opt = new AdamW(this.trainable, this.adamCfg);
    this.reference = this.cfg.beta > 0 && !this.adapter ? copyModel(o.model) : null;
    this.rng = new Rng(this.cfg.seed);
    this.pool = o.task.items('train', o.trainPool ?? 4096);
    if (this.pool.length === 0)
      throw new TrainerStateError(`task '${o.task.name}' has no training items; give a dataset with a train split.`);
    this.snapshot();
  }

  /** The current config (after live changes). */
  get config(): RLConfig {
    return this.cfg;
  }
  /** Steps completed. */
  get steps(): number {
    return this.done;
  }
  /** True when a KL reference exists: a frozen copy (the run started with beta > 0) or, with LoRA, always (adapter off). */
  get hasReference(): boolean {
    return this.reference !== null || this.adapter !== null;
  }

  /** Changes hyperparameters between steps (validated; algo and seed are frozen). */
  setConfig(patch: Partial<RLConfig> | Record<string, unknown>): RLConfig {
    this.cfg = updateConfig(this.cfg, patch, this.hasReference);
    // AdamW reads its config object at every update, so mutating it applies the change.
    Object.assign(this.adamCfg, {
      beta1: this.cfg.adam_beta1,
      beta2: this.cfg.adam_beta2,
      epsilon: this.cfg.adam_epsilon,
      weightDecay: this.cfg.weight_decay,
      maxGradNorm: this.cfg.max_grad_norm,
    });
    return this.cfg;
  }

  /** The next n training items of the seeded order (reshuffled at each pass over the pool). */
  private nextItems(n: number): Item[] {
    const out: Item[] = [];
    while (out.length < n) {
      const epoch = Math.floor(this.cursor / this.pool.length);
      const at = this.cursor % this.pool.length;
      if (at === 0 || this.order.length === 0)
        this.order = new Rng((this.cfg.seed ^ Math.imul(epoch + 1, 0x9e3779b9)) >>> 0).shuffle(this.pool);
      out.push(this.order[at]);
      this.cursor++;
    }
    return out;
  }

  /** One optimisation step; returns (and emits) its metrics record. */
  async step(): Promise<StepMetrics> {
    if (this.disposed) throw new TrainerStateError('this trainer was disposed; create a new one.');
    // Where the validation curve starts: the starting policy, before a fresh run's first update (with
    // eval_interval 1 the post-update one below takes this record instead).
    const start = this.done === 0 && this.cfg.eval_interval > 1 ? await this.validate() : null;
    const metrics = this.cfg.algo === 'sft' ? await this.sftStep() : await this.rlStep();
    this.done++;
    const ev = this.cfg.eval_interval > 0 && this.done % this.cfg.eval_interval === 0 ? await this.validate() : start;
    if (ev !== null) {
      metrics.eval_reward_mean = ev.reward_mean;
      if (ev.by_class) metrics.eval_reward_by_class = ev.by_class;
    }
    this.o.onEvent?.({ kind: 'metrics', step: this.done - 1, metrics });
    if (this.cfg.checkpoint_interval > 0 && this.done % this.cfg.checkpoint_interval === 0) await this.checkpoint('interval');
    return metrics;
  }

  /** Runs steps until max_steps (or `steps` more); `shouldStop` is checked between steps. */
  async run(steps = this.cfg.max_steps - this.done, shouldStop: () => boolean = () => false): Promise<void> {
    for (let i = 0; i < steps && !shouldStop(); i++) await this.step();
  }

  private async rlStep(): Promise<StepMetrics> {
    const cfg = this.cfg,
      G = cfg.num_generations,
      step = this.done;
    const lr = lrAt(step, scheduleFromConfig(cfg));
    const rounds: RolloutResult[] = [];
    let groups = 0,
      informative = 0;
    for (let round = 0; round <= (cfg.dynamic_sampling ? cfg.max_refill_rounds : 0); round++) {
      const want = round === 0 ? cfg.batch_prompts : cfg.batch_prompts - informative;
      const r = await rollout(this.o.model, this.o.tokenizer, this.o.grader, this.nextItems(want), {
        groupSize: G,
        maxNewTokens: cfg.max_completion_length,
        temperature: cfg.temperature,
        topK: cfg.top_k,
        topP: cfg.top_p,
        seed: this.rng.seed(),
        step,
        firstGroup: groups,
      });
      rounds.push(r);
      groups += r.items.length;
      if (!cfg.dynamic_sampling) break;
      informative = informativeGroups(this.advantages(rounds, cfg).groups).length;
      if (informative >= cfg.batch_prompts) break;
    }
    const samples = rounds.flatMap((r) => r.samples);
    const adv = this.advantages(rounds, cfg);
    const kept = new Set(cfg.dynamic_sampling ? informativeGroups(adv.groups).slice(0, cfg.batch_prompts) : adv.groups.map((_, i) => i));
    samples.forEach((s, i) => {
      s.advantage = adv.advantages[i];
      s.trained = kept.has(Math.floor(i / G));
    });
    const reward = rewardMetrics(
      samples.map((s) => ({
        reward: s.reward,
        subRewards: s.sub_rewards,
        errorKind: s.error_kind,
        completionLength: s.length,
        truncated: s.truncated,
      })),
      adv.groups,
      adv.advantages,
    );
    this.o.onEvent?.({ kind: 'samples', step, samples });

    const t0 = performance.now();
    const rows = samples.map((_, i) => i).filter((i) => kept.has(Math.floor(i / G)));
    let update: UpdateResult | null = null;
    this.adapter?.reseed(this.rng.seed()); // dropout masks follow the run's seed and resume exactly
    if (rows.length > 0) {
      const prompts = rounds.flatMap((r) => r.prompts),
        completions = rounds.flatMap((r) => r.completions);
      const packed = packSequences(
        rows.map((i) => prompts[i]),
        rows.map((i) => completions[i]),
        this.padId(),
        this.o.bucket ?? 16,
      );
      const keep = rowsToKeep(
        rows.map((i) => adv.valid[i]),
        rows.map((i) => samples[i].truncated),
        cfg.mask_truncated_completions,
      );
      const mask = completionMask({ starts: packed.starts, lengths: packed.lengths, width: packed.ids[0].length - 1, keep });
      const traced = tracedRows(rows, G, this.o.traceGroups ?? 0);
      const before =
        traced.length > 0
          ? await this.logprobRows(
              traced.map((r) => packed.ids[r]),
              traced.map((r) => packed.attentionMask[r]),
            )
          : [];
      update = await policyUpdate(
        this.o.model,
        this.opt,
        { ids: packed.ids, attentionMask: packed.attentionMask, mask, advantages: rows.map((i) => adv.advantages[i]) },
        {
          numIterations: cfg.num_iterations,
          lr,
          reference: this.adapter ?? this.reference,
          microBatchRows: cfg.micro_batch_rows || undefined, // 0 = automatic
          loss: {
            lossType: cfg.loss_type,
            epsilon: cfg.epsilon,
            epsilonHigh: cfg.epsilon_high,
            beta: cfg.beta,
            maxCompletionLength: cfg.max_completion_length,
          },
          beforeApply: () => this.snapshot(),
        },
      );
      if (traced.length > 0) {
        const after = await this.logprobRows(
          traced.map((r) => packed.ids[r]),
          traced.map((r) => packed.attentionMask[r]),
        );
        const traces = buildTraces(
          step,
          traced.map((r, k) => {
            const ids = completions[rows[r]];
            return {
              sample: samples[rows[r]],
              promptIds: prompts[rows[r]],
              ids,
              tokens: ids.map((t) => this.o.tokenizer.decode([t], { keepSpecial: true })),
              start: packed.starts[r],
              before: before[k],
              after: after[k],
            };
          }),
          update.report.applied,
        );
        this.o.onEvent?.({ kind: 'update', step, traces });
      }
    }
    const restored = update ? this.guard(update.report.consecutiveFailures, step) : false;
    const training_ms = performance.now() - t0;
    const metrics = composeStepMetrics({
      step,
      reward,
      loss: update?.passes ?? [],
      optim: update?.report ?? null,
      learningRate: lr,
      invalid: countInvalid(rounds.flatMap((r) => r.grades)),
      timing: {
        sampling_ms: sum(rounds.map((r) => r.sampling_ms)),
        grading_ms: sum(rounds.map((r) => r.grading_ms)),
        training_ms,
        generated_tokens: sum(rounds.map((r) => r.generated_tokens)),
      },
    });
    return {
      ...metrics,
      groups_trained: kept.size,
      refill_rounds: rounds.length - 1,
      train_tokens: update?.tokens ?? 0,
      weights_restored: restored ? 1 : 0,
    };
  }

  private advantages(rounds: readonly RolloutResult[], cfg: RLConfig): ReturnType<typeof computeAdvantages> {
    const kind = advantageKind(cfg.algo);
    const rewards = rounds.flatMap((r) => r.grades.map((g) => g.reward));
    return computeAdvantages(rewards, {
      kind: kind === 'none' ? 'grpo' : (kind satisfies AdvantageKind),
      groupSize: cfg.num_generations,
      scaleRewards: cfg.scale_rewards,
    });
  }

  private async sftStep(): Promise<StepMetrics> {
    const cfg = this.cfg,
      step = this.done;
    const lr = lrAt(step, scheduleFromConfig(cfg));
    const t0 = performance.now();
    // As many rows as an RL step trains on (batch_prompts × num_generations), so compute matches.
    const batch = sftBatch(
      this.o.tokenizer,
      this.nextItems(cfg.batch_prompts * cfg.num_generations),
      (it) => this.o.task.sftTarget(it),
      this.o.bucket ?? 16,
      this.o.model.config.maxPositionEmbeddings,
    );
    this.adapter?.reseed(this.rng.seed());
    const r = await sftStep(this.o.model, this.opt, batch, lr);
    if (r.applied) this.snapshot();
    const restored = this.guard(this.opt.consecutiveFailures, step);
    return {
      step,
      sft_loss: Number.isFinite(r.loss) ? r.loss : null,
      grad_norm: Number.isFinite(r.gradNorm) ? r.gradNorm : null,
      update_skipped: r.applied ? 0 : 1,
      learning_rate: lr,
      train_tokens: r.tokens,
      training_ms: performance.now() - t0,
      weights_restored: restored ? 1 : 0,
    };
  }

  /** After max_bad_steps skipped updates in a row, puts the last good weights back. */
  private guard(failures: number, step: number): boolean {
    if (failures < this.cfg.max_bad_steps || !this.good) return false;
    for (const [k, p] of this.trainable) {
      const g = this.good.get(k);
      if (g) p.assign(g);
    }
    this.opt.resetFailures();
    this.o.onEvent?.({ kind: 'restored', step, failures });
    return true;
  }

  /** Remembers the current weights as good (they just gave a finite loss). */
  private snapshot(): void {
    const next = new Map([...this.trainable].map(([k, p]) => [k, tf.clone(p)] as [string, tf.Tensor]));
    if (this.good) tf.dispose([...this.good.values()]);
    this.good = next;
  }

  /** Log-prob rows [n][W − 1] of packed rows under the current policy, no gradient (the update trace). */
  private async logprobRows(ids: number[][], attentionMask: number[][]): Promise<number[][]> {
    const lp = tokenLogprobs(this.o.model, ids, { attentionMask }).logprobs;
    try {
      return await lp.array(); // async: a synchronous read on WebGPU stalls, and in a worker fails
    } finally {
      lp.dispose();
    }
  }

  private padId(): number {
    return this.o.tokenizer.padId ?? this.o.tokenizer.eosIds[0] ?? 0;
  }

  /** Greedy mean reward on the first evalPrompts validation items; emitted as an 'eval' event. */
  async validate(): Promise<EvalRecord> {
    const n = this.o.evalPrompts ?? 32;
    const r = await evaluate(this.o.model, this.o.tokenizer, this.o.task, this.o.grader, {
      split: 'validation',
      n,
      samplesPerPrompt: 1,
      temperature: 0,
      seed: this.cfg.seed,
      maxNewTokens: this.cfg.max_completion_length,
    });
    const rec: EvalRecord = {
      step: this.done,
      split: 'validation',
      reward_mean: r.n ? r.reward_mean : null,
      temperature: 0,
      n: r.n,
      by_class: r.by_class,
    };
    this.o.onEvent?.({ kind: 'eval', step: this.done, eval: rec });
    return rec;
  }

  /** Saves a checkpoint to the sink (no-op without one). */
  async checkpoint(reason: CheckpointReason = 'manual'): Promise<void> {
    if (!this.o.checkpoints) return;
    const { safetensors, config } = this.adapter
      ? { safetensors: await adapterToSafetensors(this.adapter), config: toHFConfig(this.o.model.config) }
      : await llamaToSafetensors(this.o.model);
    await this.o.checkpoints.save(
      {
        step: this.done,
        weights: safetensors,
        modelConfig: config,
        optimizer: this.adapter ? await this.opt.exportState() : momentsOrder(this.o.model.config, await this.opt.exportState(), 'file'),
        ...(this.adapter ? { lora: { ...this.adapter.config, targets: [...this.adapter.config.targets] } } : {}),
        rngState: this.rng.state,
        cursor: this.cursor,
        config: { ...this.cfg },
      },
      reason,
    );
  }

  /**
   * Continues a run from one of its checkpoints: the weights go into the policy's variables, then the
   * optimizer moments, the RNG state, the data cursor, the steps done and the (live) config. The
   * reference model, when kept, stays the one built from the weights the trainer started with (the run's
   * initial policy). Algo and seed must match the trainer's: a checkpoint of another run is refused.
   */
  restore(data: CheckpointData): void {
    if (this.disposed) throw new TrainerStateError('this trainer was disposed; create a new one.');
    for (const k of ['algo', 'seed'] as const) {
      if (data.config[k] !== this.cfg[k])
        throw new TrainerStateError(
          `the checkpoint's ${k} is ${String(data.config[k])} but this trainer's is ${String(this.cfg[k])}; build the trainer with the checkpoint's config.`,
        );
    }
    if ((data.lora !== undefined) !== (this.adapter !== null)) {
      throw new TrainerStateError(
        `the checkpoint is of a ${data.lora ? 'LoRA' : 'full fine-tuning'} run but this trainer does ${this.adapter ? 'LoRA' : 'full fine-tuning'}; build the trainer with the checkpoint's lora settings.`,
      );
    }
    if (this.adapter && data.lora) this.restoreAdapter(this.adapter, data, data.lora);
    else this.restoreWeights(data);
    this.opt.importState(this.adapter ? data.optimizer : momentsOrder(this.o.model.config, data.optimizer, 'memory'));
    this.rng = Rng.fromState(data.rngState);
    this.cursor = data.cursor;
    this.order = []; // rebuilt from the seed and the cursor's epoch at the next draw
    this.done = data.step;
    this.setConfig(data.config);
    this.snapshot();
  }

  /** A LoRA checkpoint's adapter weights into the adapter (same rank and targets required). */
  private restoreAdapter(adapter: LoraAdapter, data: CheckpointData, lora: LoraConfig): void {
    const source = `checkpoint of step ${data.step}`;
    if (JSON.stringify(lora) !== JSON.stringify(adapter.config)) {
      throw new TrainerStateError(
        `the ${source} has LoRA settings ${JSON.stringify(lora)} but this trainer's are ${JSON.stringify(adapter.config)}; build the trainer with the checkpoint's lora settings.`,
      );
    }
    const tensors = adapterTensors(data.weights, source, this.o.model, lora);
    for (const [k, p] of adapter.params) {
      const w = tensors.get(k);
      if (w) tf.tidy(() => p.assign(tf.tensor(w, p.shape)));
    }
  }

  /** A full checkpoint's weights into the policy's variables. */
  private restoreWeights(data: CheckpointData): void {
    const saved = llamaFromSafetensors(
      parseHFConfig(data.modelConfig, `checkpoint of step ${data.step}`),
      data.weights,
      `checkpoint of step ${data.step}`,
    );
    try {
      for (const [k, p] of this.o.model.params) {
        const w = saved.params.get(k);
        if (!w || w.size !== p.size)
          throw new TrainerStateError(
            `the checkpoint has no weights of shape [${p.shape.join(', ')}] for '${k}'; it belongs to another model.`,
          );
        p.assign(w);
      }
    } finally {
      saved.dispose();
    }
  }

  /** Frees the optimizer state, the reference model and the weight snapshot (not the policy). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.opt.dispose();
    this.reference?.dispose();
    if (this.good) tf.dispose([...this.good.values()]);
    this.good = null;
  }
}

/** The model's attached adapter when it has `cfg`'s settings, else a new one (seeded); throws when another is attached. */
function loraFor(model: Llama, cfg: LoraConfig, seed: number): LoraAdapter {
  const have = loraOf(model);
  if (have === null) return attachLora(model, cfg, seed);
  if (JSON.stringify(have.config) !== JSON.stringify(cfg)) {
    throw new TrainerStateError(
      `the model already carries a LoRA adapter with settings ${JSON.stringify(have.config)}, not ${JSON.stringify(cfg)}; pass its settings as lora, or dispose it first.`,
    );
  }
  return have;
}

/** A frozen copy of a model (its own non-trainable variables). */
function copyModel(m: Llama): Llama {
  return new Llama(m.config, new Map([...m.params].map(([k, p]) => [k, tf.variable(p, false)] as [string, tf.Variable])));
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
