// LoRA adapters (Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language Models") on chosen linear
// layers, named as Hugging Face PEFT names them, attached from outside: each targeted `Linear` of a
// block is replaced by a `LoraLinear` that holds the frozen base layer and the two small matrices.
//   y = base(x) + s · dropout(x) · Aᵀ · Bᵀ,   A [r, in], B [out, r],  s = α/r (α/√r with rsLoRA)
// A starts random (PEFT's default: kaiming_uniform_(a=√5), i.e. U(±1/√in)), B at zero, so a fresh adapter
// leaves the model unchanged. Switching the adapter off gives back the base model: the KL reference
// policy without a second copy of the weights. References: PEFT `tuners/lora/layer.py` (LoraLayer,
// Linear.forward, reset_lora_parameters, get_delta_weight with fan_in_fan_out for GPT-2's Conv1D),
// `tuners/lora/config.py` (LoraConfig), Kalajdzievski 2023 (rsLoRA).
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../util/rng';
import { FusedAttention, RopeAttention } from './attention';
import { GeluMLP, SwiGLU, type Block } from './blocks';
import type { LlamaConfig } from '../schema/modelConfig';
import { Linear, type LinearLike } from './layers';
import type { CausalLM } from './llama';
import { mm, mulTransposed } from './ops';

export type { LoraConfig } from '../schema/checkpoint';
import type { LoraConfig } from '../schema/checkpoint';

/** Defaults besides the rank: α = 2r, attention and MLP projections of Llama-family models, no dropout. */
export function defaultLoraConfig(rank: number, over: Partial<LoraConfig> = {}): LoraConfig {
  return {
    rank,
    alpha: 2 * rank,
    targets: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'],
    dropout: 0,
    rslora: false,
    ...over,
  };
}

/** A LoRA config or adapter that cannot be used: says which field or module, and what to do. */
export class LoraConfigError extends Error {
  override name = 'LoraConfigError';
}

/** Where one PEFT module name lives in a block: its HF module path and the field holding its Linear. */
interface Site {
  /** HF module path of block i, e.g. `model.layers.3.self_attn.q_proj`. */
  path(i: number): string;
  /** The layer in block b, or null when b's architecture has no such layer. */
  get(b: Block): LinearLike | null;
  /** Puts a (wrapped) layer in its place. */
  set(b: Block, l: LinearLike): void;
}

/** A site in the `part` of each block (null where the block has no such part), at `<prefix>.i.<sub>`. */
function site<P>(
  part: (b: Block) => P | null,
  get: (p: P) => LinearLike,
  set: (p: P, l: LinearLike) => void,
  sub: string,
  prefix: 'model.layers' | 'transformer.h',
): Site {
  return {
    path: (i) => `${prefix}.${i}.${sub}`,
    get: (b) => {
      const p = part(b);
      return p === null ? null : get(p);
    },
    set: (b, l) => {
      const p = part(b);
      if (p !== null) set(p, l);
    },
  };
}

const ropeSite = (sub: string, get: (a: RopeAttention) => LinearLike, set: (a: RopeAttention, l: LinearLike) => void): Site =>
  site((b) => (b.attn instanceof RopeAttention ? b.attn : null), get, set, `self_attn.${sub}`, 'model.layers');
const swigluSite = (sub: string, get: (m: SwiGLU) => LinearLike, set: (m: SwiGLU, l: LinearLike) => void): Site =>
  site((b) => (b.mlp instanceof SwiGLU ? b.mlp : null), get, set, `mlp.${sub}`, 'model.layers');
const fusedSite = (sub: string, get: (a: FusedAttention) => LinearLike, set: (a: FusedAttention, l: LinearLike) => void): Site =>
  site((b) => (b.attn instanceof FusedAttention ? b.attn : null), get, set, `attn.${sub}`, 'transformer.h');
const geluSite = (sub: string, get: (m: GeluMLP) => LinearLike, set: (m: GeluMLP, l: LinearLike) => void): Site =>
  site((b) => (b.mlp instanceof GeluMLP ? b.mlp : null), get, set, `mlp.${sub}`, 'transformer.h');

/**
 * PEFT module name → where that Linear lives. A name may match several layers (PEFT matches by suffix:
 * GPT-2's `c_proj` is both the attention output and the MLP output).
 */
export const LORA_TARGETS: Record<string, Site[]> = {
  q_proj: [
    ropeSite(
      'q_proj',
      (a) => a.q,
      (a, l) => {
        a.q = l;
      },
    ),
  ],
  k_proj: [
    ropeSite(
      'k_proj',
      (a) => a.k,
      (a, l) => {
        a.k = l;
      },
    ),
  ],
  v_proj: [
    ropeSite(
      'v_proj',
      (a) => a.v,
      (a, l) => {
        a.v = l;
      },
    ),
  ],
  o_proj: [
    ropeSite(
      'o_proj',
      (a) => a.o,
      (a, l) => {
        a.o = l;
      },
    ),
  ],
  gate_proj: [
    swigluSite(
      'gate_proj',
      (m) => m.gate,
      (m, l) => {
        m.gate = l;
      },
    ),
  ],
  up_proj: [
    swigluSite(
      'up_proj',
      (m) => m.up,
      (m, l) => {
        m.up = l;
      },
    ),
  ],
  down_proj: [
    swigluSite(
      'down_proj',
      (m) => m.down,
      (m, l) => {
        m.down = l;
      },
    ),
  ],
  c_attn: [
    fusedSite(
      'c_attn',
      (a) => a.cAttn,
      (a, l) => {
        a.cAttn = l;
      },
    ),
  ],
  c_proj: [
    fusedSite(
      'c_proj',
      (a) => a.cProj,
      (a, l) => {
        a.cProj = l;
      },
    ),
    geluSite(
      'c_proj',
      (m) => m.cProj,
      (m, l) => {
        m.cProj = l;
      },
    ),
  ],
  c_fc: [
    geluSite(
      'c_fc',
      (m) => m.cFc,
      (m, l) => {
        m.cFc = l;
      },
    ),
  ],
};

/** PEFT module names that architecture `c` has. */
export function loraTargetsOf(c: LlamaConfig): string[] {
  return c.architecture === 'GPT2LMHeadModel'
    ? ['c_attn', 'c_proj', 'c_fc']
    : ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'];
}

/** Checks every field; throws a LoraConfigError naming the first bad one. */
export function validateLoraConfig(cfg: LoraConfig, model: LlamaConfig): void {
  if (!Number.isInteger(cfg.rank) || cfg.rank < 1) throw new LoraConfigError(`LoRA rank must be a positive integer, got ${cfg.rank}`);
  if (!Number.isFinite(cfg.alpha) || cfg.alpha <= 0) throw new LoraConfigError(`LoRA alpha must be a positive number, got ${cfg.alpha}`);
  if (!(cfg.dropout >= 0 && cfg.dropout < 1)) throw new LoraConfigError(`LoRA dropout must be in [0, 1), got ${cfg.dropout}`);
  const known = loraTargetsOf(model);
  if (cfg.targets.length === 0)
    throw new LoraConfigError(`LoRA needs at least one target module; ${model.architecture} has ${known.join(', ')}`);
  for (const t of cfg.targets) {
    if (!known.includes(t))
      throw new LoraConfigError(`LoRA target module "${t}" does not exist in ${model.architecture}; choose among ${known.join(', ')}`);
  }
}

/** The adapter's scale: α/r, or α/√r with rsLoRA. */
export function loraScale(cfg: LoraConfig): number {
  return cfg.rslora ? cfg.alpha / Math.sqrt(cfg.rank) : cfg.alpha / cfg.rank;
}

/** Switch for tests and benchmarks: false runs the base layers through plain Linear.apply (weight gradients computed, then dropped). */
export const loraSettings = {
  /** true: frozen base layers keep nothing on the gradient tape and compute no weight gradient (frozenLinear). */
  frozenBase: true,
};

/**
 * The frozen base layer's output, with a gradient for x only: no dW is computed, and nothing derived from
 * the weight lives on the gradient tape (Linear.apply + mm would keep Wᵀ, transpose W again and compute a dW
 * the optimizer never uses). The backward multiplies by Wᵀ through mulTransposed (no copy of a large weight
 * per call). x [N, in] → [N, out]
 */
function frozenLinear(base: Linear, x: tf.Tensor): tf.Tensor {
  const W = base.weight;
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x2] = args;
    if (!(x2 instanceof tf.Tensor)) throw new TypeError('frozenLinear: bad customGrad arguments');
    return {
      value: tf.matMul(x2, W),
      gradFunc: (dy: tf.Tensor) => tf.tidy(() => mulTransposed(dy, W)),
    };
  });
  const y = f(x);
  return base.bias === undefined ? y : tf.add(y, base.bias);
}

/** A Linear whose weight gets no gradient (frozenLinear): the output head while an adapter trains. */
class FrozenLinear extends Linear {
  constructor(readonly original: Linear) {
    super(original.weight, original.bias);
  }

  override apply(x: tf.Tensor): tf.Tensor {
    if (!loraSettings.frozenBase) return super.apply(x);
    const lead = x.shape.slice(0, -1);
    return tf.reshape(frozenLinear(this, tf.reshape(x, [-1, this.inDim])), [...lead, this.outDim]);
  }
}

/** A base Linear plus a low-rank update; the base weight is never changed (until merged). */
export class LoraLinear implements LinearLike {
  constructor(
    /** The frozen layer it wraps. */
    readonly base: Linear,
    /** PEFT lora_A. [r, in] */
    readonly a: tf.Variable,
    /** PEFT lora_B. [out, r] */
    readonly b: tf.Variable,
    /** The adapter it belongs to (its on/off switch, training flag, scale and dropout). */
    private readonly owner: LoraAdapter,
  ) {}

  /** [..., in] → [..., out]: base(x) + s · dropout(x) · Aᵀ · Bᵀ (the base alone when the adapter is off). */
  apply(x: tf.Tensor): tf.Tensor {
    if (!this.owner.enabled) return this.base.apply(x);
    const lead = x.shape.slice(0, -1);
    const x2 = tf.reshape(x, [-1, this.base.inDim]); // [N, in]
    const y = loraSettings.frozenBase ? frozenLinear(this.base, x2) : this.base.apply(x2); // [N, out]
    const p = this.owner.config.dropout;
    const h = this.owner.training && p > 0 ? tf.dropout(x2, p, undefined, this.owner.nextSeed()) : x2; // dropout on the adapter's input only
    const d = mm(mm(h, tf.transpose(this.a)), tf.transpose(this.b)); // [N, r] → [N, out]
    return tf.reshape(tf.add(y, tf.mul(d, this.owner.scale)), [...lead, this.base.outDim]);
  }

  /** The update ΔW as the base weight is held: (s·B·A)ᵀ [in, out]. */
  delta(): tf.Tensor2D {
    return tf.tidy(() => {
      const ba = tf.mul(mm(this.b, this.a), this.owner.scale) as tf.Tensor2D; // [out, in] (rank cast: tfjs ops are typed Tensor<Rank>)
      return tf.transpose(ba);
    });
  }
}

/** The plain Linear of a layer slot: itself, or the base of the LoRA wrapper there; null for anything else. */
export function baseLinear(l: LinearLike): Linear | null {
  return l instanceof Linear ? l : l instanceof LoraLinear ? l.base : null;
}

/** One adapted layer: where it is and its wrapper. */
interface Adapted {
  /** HF module path, e.g. `model.layers.0.self_attn.q_proj`. */
  path: string;
  block: Block;
  site: Site;
  layer: LoraLinear;
}

/** The adapter of each model it is attached to. */
const attached = new WeakMap<CausalLM, LoraAdapter>();

/** The adapter attached to `model`, or null. */
export function loraOf(model: CausalLM): LoraAdapter | null {
  return attached.get(model) ?? null;
}

let variableCounter = 0;

/**
 * LoRA adapters on a model's chosen layers. `params` holds only the adapter weights, keyed
 * `<module path>.lora_A.weight` / `.lora_B.weight` (PEFT's names without the `base_model.model.` prefix):
 * the optimizer and checkpoints of a LoRA run use this map instead of the model's.
 */
export class LoraAdapter {
  /** When false every LoraLinear returns its base layer's output (the reference policy). */
  enabled = true;
  /** When true (inside a training forward) dropout is applied to the adapter's input. */
  training = false;
  /** The multiplier of the adapter's output (loraScale). */
  readonly scale: number;
  /** Adapter weights by PEFT key (without the `base_model.model.` prefix). */
  readonly params = new Map<string, tf.Variable>();
  private readonly layers: Adapted[] = [];
  private rng: Rng;
  private disposed = false;

  /** Use `attachLora`. */
  constructor(
    readonly model: CausalLM,
    readonly config: LoraConfig,
    seed: number,
    init?: ReadonlyMap<string, Float32Array>,
  ) {
    validateLoraConfig(config, model.config);
    this.scale = loraScale(config);
    this.rng = new Rng(seed);
    const r = config.rank;
    const init0 = new Rng(seed ^ 0x5bd1e995);
    for (const name of config.targets) {
      for (const s of LORA_TARGETS[name]) {
        model.modules.blocks.forEach((block, i) => {
          const base = s.get(block);
          if (base === null) return;
          const path = s.path(i);
          if (!(base instanceof Linear))
            throw new LoraConfigError(`${path} already has a LoRA adapter; detach it (adapter.dispose()) before attaching another`);
          const bound = 1 / Math.sqrt(base.inDim); // kaiming_uniform_(a=√5): gain √(1/3) · √(3/fan_in)
          const aData =
            init?.get(`${path}.lora_A.weight`) ?? Float32Array.from({ length: r * base.inDim }, () => (2 * init0.next() - 1) * bound);
          const bData = init?.get(`${path}.lora_B.weight`) ?? new Float32Array(base.outDim * r);
          const a = this.variable(`${path}.lora_A.weight`, aData, [r, base.inDim]);
          const b = this.variable(`${path}.lora_B.weight`, bData, [base.outDim, r]);
          const layer = new LoraLinear(base, a, b, this);
          s.set(block, layer);
          this.layers.push({ path, block, site: s, layer });
        });
      }
    }
    model.modules.head = new FrozenLinear(model.modules.head); // the head trains in no LoRA run
    attached.set(model, this);
  }

  private variable(key: string, data: Float32Array, shape: [number, number]): tf.Variable {
    const t = tf.tensor2d(data, shape);
    const v = tf.variable(t, true, `lora:${key}#${++variableCounter}`); // tfjs variable names are global
    t.dispose();
    this.params.set(key, v);
    return v;
  }

  /** HF module paths of the adapted layers, in block order. */
  get modulePaths(): string[] {
    return this.layers.map((l) => l.path);
  }

  /** Number of trainable scalars (A and B of every adapted layer). */
  paramCount(): number {
    let n = 0;
    for (const v of this.params.values()) n += v.size;
    return n;
  }

  /** Restarts the dropout stream from `seed` (the trainer does so every step, from its checkpointed RNG). */
  reseed(seed: number): void {
    this.rng = new Rng(seed);
  }

  /** A seed for the next dropout mask (drawn from the adapter's own seeded stream). */
  nextSeed(): number {
    return this.rng.int(2 ** 31);
  }

  /** Runs f with the adapter switched off (the base model), then restores the switch. */
  withDisabled<T>(f: () => T): T {
    const was = this.enabled;
    this.enabled = false;
    try {
      return f();
    } finally {
      this.enabled = was;
    }
  }

  /** Puts the base layers back and frees the adapter weights; the model is the base model again. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const l of this.layers) l.site.set(l.block, l.layer.base);
    const head = this.model.modules.head;
    if (head instanceof FrozenLinear) this.model.modules.head = head.original;
    tf.dispose([...this.params.values()]);
    this.params.clear();
    attached.delete(this.model);
  }

  /** Adds each update s·B·A into its base weight, then detaches: the model computes the adapted function alone. */
  merge(): void {
    for (const l of this.layers) {
      const w = l.layer.base.weight;
      tf.tidy(() => {
        w.assign(tf.add(w, l.layer.delta()));
      });
    }
    this.dispose();
  }
}

/**
 * Attaches a LoRA adapter to `model` (seeded A, zero B), or one with the given weights (keys as in
 * `LoraAdapter.params`; missing keys start fresh). Throws a LoraConfigError for a bad config.
 */
export function attachLora(model: CausalLM, config: LoraConfig, seed: number, init?: ReadonlyMap<string, Float32Array>): LoraAdapter {
  if (attached.has(model)) throw new LoraConfigError('this model already has a LoRA adapter; dispose it before attaching another');
  return new LoraAdapter(model, config, seed, init);
}

/** Runs f with the model's LoRA adapter (if any) in training mode, so its dropout applies. */
export function inTraining<T>(model: CausalLM, f: () => T): T {
  const a = loraOf(model);
  if (a === null) return f();
  a.training = true;
  try {
    return f();
  } finally {
    a.training = false;
  }
}
