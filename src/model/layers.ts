// The model's building blocks as small objects that own their weights (nanoGPT's nn.Module style):
// each is built once from the parameter map, so a forward pass does no name look-ups. A `Linear` is
// the seam for adapters: anything with `apply(x)` (e.g. a LoRA wrapper around a `Linear`) can replace
// one in a block. References: HF `nn.Linear`, GPT-2 `Conv1D` (pytorch_utils.py), `LlamaRMSNorm`,
// `nn.LayerNorm`.
import * as tf from '@tensorflow/tfjs';
import { dims2, embed, mm } from './ops';

/** Anything a block can use as a linear map [..., in] → [..., out] (a Linear, or an adapter around one). */
export interface LinearLike {
  apply(x: tf.Tensor): tf.Tensor;
}

/** A linear layer y = x·W + b, W held [in, out] (weights.ts holds every linear weight so). */
export class Linear implements LinearLike {
  /** Input and output widths. */
  readonly inDim: number;
  readonly outDim: number;

  constructor(
    /** The weight. [in, out] */
    readonly weight: tf.Variable,
    /** Optional bias. [out] */
    readonly bias: tf.Variable | undefined,
  ) {
    [this.inDim, this.outDim] = dims2(weight);
  }

  /** [..., in] → [..., out]; the input is flattened to 2-D so wasm runs one plain matMul. */
  apply(x: tf.Tensor): tf.Tensor {
    const lead = x.shape.slice(0, -1);
    let y = mm(tf.reshape(x, [-1, this.inDim]), this.weight); // [N, out]
    if (this.bias !== undefined) y = tf.add(y, this.bias);
    return tf.reshape(y, [...lead, this.outDim]);
  }
}

/** RMSNorm over the last axis: x / sqrt(mean(x²) + eps) · w. [..., D] */
export class RMSNorm {
  constructor(
    /** Scale. [D] */ readonly weight: tf.Variable,
    /** Added to the mean square. */ readonly eps: number,
  ) {}

  apply(x: tf.Tensor): tf.Tensor {
    const ms = tf.mean(tf.square(x), -1, true);
    return tf.mul(tf.mul(x, tf.rsqrt(tf.add(ms, this.eps))), this.weight);
  }
}

/** LayerNorm over the last axis with bias: (x - mean) / sqrt(var + eps) · w + b (biased variance). [..., D] */
export class LayerNorm {
  constructor(
    /** Scale. [D] */ readonly weight: tf.Variable,
    /** Shift. [D] */ readonly bias: tf.Variable,
    /** Added to the variance. */ readonly eps: number,
  ) {}

  apply(x: tf.Tensor): tf.Tensor {
    const mean = tf.mean(x, -1, true);
    const xc = tf.sub(x, mean);
    const variance = tf.mean(tf.square(xc), -1, true);
    return tf.add(tf.mul(tf.mul(xc, tf.rsqrt(tf.add(variance, this.eps))), this.weight), this.bias);
  }
}

/** A normalisation layer of either kind. */
export type Norm = RMSNorm | LayerNorm;

/** An embedding table. ids int32 [...S] → [...S, D] (gradient works on wasm, see ops.embed). */
export class Embedding {
  constructor(
    /** The table: [V, D], or [D, V] when it doubles as the output head (weights.ts). */
    readonly weight: tf.Variable,
    /** 'columns' when the table is held [D, V]. */
    readonly layout: 'rows' | 'columns',
  ) {}

  apply(ids: tf.Tensor): tf.Tensor {
    return embed(ids, this.weight, this.layout);
  }
}

/** Looks up a parameter by name while a model is being built; throws naming the tensor if absent. */
export type ParamGetter = (name: string) => tf.Variable;

/** A getter over a parameter map (used once, at construction). */
export function getterOf(params: Map<string, tf.Variable>, owner: string): ParamGetter {
  return (name) => {
    const v = params.get(name);
    if (v === undefined) throw new Error(`${owner}: missing parameter "${name}"`);
    return v;
  };
}
