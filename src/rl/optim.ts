// Adam / AdamW over named tfjs variables, with the guards an RL loop needs: global-norm gradient
// clipping (torch.nn.utils.clip_grad_norm_), a NaN/Inf guard that skips the update and counts failures
// so the trainer can restore the last good weights, and state export/import for checkpoints.
// References: Kingma & Ba 2015 (Adam, bias correction); Loshchilov & Hutter 2019 (decoupled weight
// decay); the update order matches torch.optim.AdamW:
//   p ← p·(1 − lr·wd);  m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²
//   p ← p − lr · (m / (1−β1^t)) / (sqrt(v / (1−β2^t)) + ε)
// tf.train.adam is not used: it has neither state export nor the guard.
import type { AdamState } from '../schema/checkpoint';
import * as tf from '@tensorflow/tfjs';

export interface AdamConfig {
  /** Decay of the running mean of gradients (β1). */
  beta1: number;
  /** Decay of the running mean of squared gradients (β2). */
  beta2: number;
  /** Added to the denominator (ε). */
  epsilon: number;
  /** Decoupled weight decay; 0 gives plain Adam. */
  weightDecay: number;
  /** Clip the global L2 norm of all gradients to this; 0 = no clipping. */
  maxGradNorm: number;
  /** Parameters (by map key) exempt from weight decay, e.g. norms; default: none exempt. */
  noDecay?: (key: string) => boolean;
}

/** What one call to `apply` did. */
export interface StepReport {
  /** True when the parameters were updated. */
  applied: boolean;
  /** Global L2 norm of the gradients before clipping (NaN or Infinity when they were non-finite). */
  gradNorm: number;
  /** True when clipping scaled the gradients down. */
  clipped: boolean;
  /** Why the update was skipped, or null. */
  skipped: null | 'non-finite loss' | 'non-finite gradient';
  /** Skipped updates in a row, including this one (0 after an applied update). */
  consecutiveFailures: number;
}

export type { AdamState };

/** A checkpoint's optimizer state does not fit the model's parameters. */
export class OptimStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptimStateError';
  }
}

/** Gradients keyed by variable name (as tf.variableGrads returns them) or by the parameter's map key. */
export type Grads = Record<string, tf.Tensor> | Map<string, tf.Tensor>;

export class AdamW {
  private t = 0;
  private failures = 0;
  private skipped = 0;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();

  constructor(
    private readonly params: Map<string, tf.Variable>,
    private readonly cfg: AdamConfig,
  ) {
    // tidy frees the zerosLike initial values; the variables (not tracked by tidy) stay.
    tf.tidy(() => {
      for (const [k, p] of params) {
        this.m.set(k, tf.variable(tf.zerosLike(p), false));
        this.v.set(k, tf.variable(tf.zerosLike(p), false));
      }
    });
  }

  /** The variables it updates: pass them to tf.variableGrads so no other gradient is computed (LoRA: the adapter only). */
  get variables(): tf.Variable[] {
    return [...this.params.values()];
  }
  /** Updates applied so far (t in the bias correction). */
  get step(): number {
    return this.t;
  }
  /** Skipped updates in a row; the trainer restores the last good weights when this reaches its limit. */
  get consecutiveFailures(): number {
    return this.failures;
  }
  /** All skipped updates since construction. */
  get skippedTotal(): number {
    return this.skipped;
  }
  /** Call after restoring good weights. */
  resetFailures(): void {
    this.failures = 0;
  }

  private gradFor(grads: Grads, key: string, p: tf.Variable): tf.Tensor | undefined {
    if (grads instanceof Map) return grads.get(p.name) ?? grads.get(key);
    return grads[p.name] ?? grads[key];
  }

  /**
   * One guarded update with learning rate `lr`. `loss`, when given, is checked too. Parameters
   * without a gradient are left alone (as torch does). The caller still owns (and disposes) `grads`.
   */
  async apply(grads: Grads, lr: number, loss?: number): Promise<StepReport> {
    const pairs: [string, tf.Variable, tf.Tensor][] = [];
    for (const [k, p] of this.params) {
      const g = this.gradFor(grads, k, p);
      if (g) pairs.push([k, p, g]);
    }
    const normT = tf.tidy(() => (pairs.length ? tf.sqrt(tf.addN(pairs.map(([, , g]) => tf.sum(tf.square(g))))) : tf.scalar(0)));
    const gradNorm = (await normT.data())[0];
    normT.dispose();
    const fail = (why: 'non-finite loss' | 'non-finite gradient'): StepReport => {
      this.failures++;
      this.skipped++;
      return { applied: false, gradNorm, clipped: false, skipped: why, consecutiveFailures: this.failures };
    };
    if (loss !== undefined && !Number.isFinite(loss)) return fail('non-finite loss');
    if (!Number.isFinite(gradNorm)) return fail('non-finite gradient');

    const { beta1: b1, beta2: b2, epsilon, weightDecay, maxGradNorm } = this.cfg;
    // torch clip_grad_norm_: scale by min(1, max_norm / (norm + 1e-6))
    const coef = maxGradNorm > 0 ? Math.min(1, maxGradNorm / (gradNorm + 1e-6)) : 1;
    this.t++;
    const bc1 = 1 - Math.pow(b1, this.t);
    const bc2 = 1 - Math.pow(b2, this.t);
    for (const [k, p, g] of pairs) {
      const m = this.m.get(k);
      const v = this.v.get(k);
      if (!m || !v) throw new OptimStateError(`no optimizer state for parameter '${k}'.`);
      const wd = this.cfg.noDecay?.(k) ? 0 : weightDecay;
      tf.tidy(() => {
        const gc = coef === 1 ? g : tf.mul(g, coef);
        const m1 = tf.add(tf.mul(m, b1), tf.mul(gc, 1 - b1));
        const v1 = tf.add(tf.mul(v, b2), tf.mul(tf.square(gc), 1 - b2));
        const denom = tf.add(tf.sqrt(tf.div(v1, bc2)), epsilon);
        const decayed = wd > 0 ? tf.mul(p, 1 - lr * wd) : p;
        p.assign(tf.sub(decayed, tf.mul(tf.div(m1, denom), lr / bc1)));
        m.assign(m1);
        v.assign(v1);
      });
    }
    this.failures = 0;
    return { applied: true, gradNorm, clipped: coef < 1, skipped: null, consecutiveFailures: 0 };
  }

  /** Copies the state out for a checkpoint. */
  async exportState(): Promise<AdamState> {
    const m: Record<string, Float32Array> = {};
    const v: Record<string, Float32Array> = {};
    for (const k of this.params.keys()) {
      m[k] = Float32Array.from(await this.moment(this.m, k).data());
      v[k] = Float32Array.from(await this.moment(this.v, k).data());
    }
    return { step: this.t, m, v };
  }

  /** Restores a checkpoint's state; every parameter must be present with its exact size. */
  importState(state: AdamState): void {
    if (!Number.isInteger(state.step) || state.step < 0) {
      throw new OptimStateError(`optimizer state has step ${state.step}; expected a non-negative integer.`);
    }
    for (const [k, p] of this.params) {
      for (const [which, src] of [
        ['m', state.m],
        ['v', state.v],
      ] as const) {
        const arr = src[k];
        if (!arr)
          throw new OptimStateError(`optimizer state lacks '${which}' for parameter '${k}'; the checkpoint belongs to another model.`);
        if (arr.length !== p.size) {
          throw new OptimStateError(`optimizer state '${which}' for '${k}' has ${arr.length} values; the parameter has ${p.size}.`);
        }
      }
    }
    for (const [k, p] of this.params) {
      tf.tidy(() => {
        this.moment(this.m, k).assign(tf.tensor(state.m[k], p.shape, 'float32'));
        this.moment(this.v, k).assign(tf.tensor(state.v[k], p.shape, 'float32'));
      });
    }
    this.t = state.step;
  }

  private moment(map: Map<string, tf.Variable>, k: string): tf.Variable {
    const x = map.get(k);
    if (!x) throw new OptimStateError(`no optimizer state for parameter '${k}'.`);
    return x;
  }

  /** Frees the moment tensors (not the parameters). */
  dispose(): void {
    for (const x of [...this.m.values(), ...this.v.values()]) x.dispose();
    this.m.clear();
    this.v.clear();
  }
}
