import { describe, test, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { AdamW, OptimStateError, type AdamConfig } from '../../src/rl/optim';
import { BACKENDS, useBackend, arr } from './backends';

const CFG: AdamConfig = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, maxGradNorm: 0 };

function close(actual: ArrayLike<number>, expected: number[], digits = 6): void {
  expect(actual.length).toBe(expected.length);
  Array.from(actual).forEach((a, i) => expect(a).toBeCloseTo(expected[i], digits));
}

describe.each(BACKENDS)('AdamW on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  const setup = (p0 = [1, -2], cfg: Partial<AdamConfig> = {}) => {
    const p = tf.variable(tf.tensor1d(p0));
    const opt = new AdamW(new Map([['w', p]]), { ...CFG, ...cfg });
    return {
      p,
      opt,
      done: () => {
        opt.dispose();
        p.dispose();
      },
    };
  };

  // Adam by hand, lr 0.1, β1 0.9, β2 0.999, p = [1, −2]:
  // step 1, g = [0.5, −0.1]: m = 0.1·g = [0.05, −0.01]; v = 0.001·g² = [0.00025, 0.00001]
  //   m̂ = m/0.1 = [0.5, −0.1]; v̂ = v/0.001 = [0.25, 0.01]; m̂/√v̂ = [1, −1] → p = [0.9, −1.9]
  // step 2, g = [−0.5, 0.3]: m = 0.9·m + 0.1·g = [0.045 − 0.05, −0.009 + 0.03] = [−0.005, 0.021]
  //   v = 0.999·v + 0.001·g² = [0.00024975 + 0.00025, 0.00000999 + 0.00009] = [0.00049975, 0.00009999]
  //   bc1 = 1 − 0.81 = 0.19, bc2 = 1 − 0.998001 = 0.001999
  //   m̂ = [−0.0263158, 0.1105263]; v̂ = [0.25, 0.0500200] → √v̂ = [0.5, 0.2236560]
  //   p = [0.9 + 0.1·0.0526316, −1.9 − 0.1·0.4941899] = [0.9052632, −1.9494190]
  test('two Adam steps match the hand computation, state exports the moments', async () => {
    const { p, opt, done } = setup();
    const g1 = { w: tf.tensor1d([0.5, -0.1]) };
    const r1 = await opt.apply(g1, 0.1);
    expect(r1).toMatchObject({ applied: true, skipped: null, clipped: false });
    expect(r1.gradNorm).toBeCloseTo(Math.sqrt(0.26), 6);
    close(arr(p), [0.9, -1.9]);
    const s = await opt.exportState();
    expect(s.step).toBe(1);
    close(s.m.w, [0.05, -0.01]);
    close(s.v.w, [0.00025, 0.00001], 9);
    await opt.apply({ w: tf.tensor1d([-0.5, 0.3]) }, 0.1);
    close(arr(p), [0.9052632, -1.949419]);
    expect(opt.step).toBe(2);
    done();
  });

  // AdamW, wd 0.1, lr 0.1, step 1: p·(1 − 0.01) − 0.1·[1, −1] = [0.99 − 0.1, −1.98 + 0.1] = [0.89, −1.88]
  test('decoupled weight decay, and noDecay exempts a parameter', async () => {
    const { p, opt, done } = setup([1, -2], { weightDecay: 0.1 });
    await opt.apply({ w: tf.tensor1d([0.5, -0.1]) }, 0.1);
    close(arr(p), [0.89, -1.88]);
    done();
    const e = setup([1, -2], { weightDecay: 0.1, noDecay: (k) => k === 'w' });
    await e.opt.apply({ w: tf.tensor1d([0.5, -0.1]) }, 0.1);
    close(arr(e.p), [0.9, -1.9]);
    e.done();
  });

  // Two parameters with gradients [3] and [4]: global norm √(9 + 16) = 5. max_grad_norm 1 scales by
  // 1/(5 + 1e-6), so the first moment becomes 0.1·[0.6] and 0.1·[0.8] (Adam's first step is
  // scale-free, so the moments are where clipping shows).
  test('global-norm clipping reports the pre-clip norm and scales every gradient', async () => {
    const a = tf.variable(tf.tensor1d([0])),
      b = tf.variable(tf.tensor1d([0]));
    const opt = new AdamW(
      new Map([
        ['a', a],
        ['b', b],
      ]),
      { ...CFG, maxGradNorm: 1 },
    );
    const r = await opt.apply(
      new Map([
        [a.name, tf.tensor1d([3])],
        [b.name, tf.tensor1d([4])],
      ]),
      0.01,
    );
    expect(r.gradNorm).toBeCloseTo(5, 6);
    expect(r.clipped).toBe(true);
    const s = await opt.exportState();
    close(s.m.a, [0.06]);
    close(s.m.b, [0.08]);
    opt.dispose();
    a.dispose();
    b.dispose();
  });

  test('a non-finite gradient or loss skips the update, counts failures, and leaves state alone', async () => {
    const { p, opt, done } = setup();
    const r1 = await opt.apply({ w: tf.tensor1d([Number.NaN, 1]) }, 0.1);
    expect(r1).toMatchObject({ applied: false, skipped: 'non-finite gradient', consecutiveFailures: 1 });
    expect(Number.isNaN(r1.gradNorm)).toBe(true);
    const r2 = await opt.apply({ w: tf.tensor1d([1, 1]) }, 0.1, Number.POSITIVE_INFINITY);
    expect(r2).toMatchObject({ applied: false, skipped: 'non-finite loss', consecutiveFailures: 2 });
    const r3 = await opt.apply({ w: tf.tensor1d([Number.POSITIVE_INFINITY, 0]) }, 0.1);
    expect(r3.skipped).toBe('non-finite gradient');
    close(arr(p), [1, -2]);
    expect(opt.step).toBe(0);
    close((await opt.exportState()).m.w, [0, 0]);
    // a good step after failures is the same as a first step, and resets the run of failures
    const r4 = await opt.apply({ w: tf.tensor1d([0.5, -0.1]) }, 0.1, 1.5);
    expect(r4.consecutiveFailures).toBe(0);
    expect(opt.skippedTotal).toBe(3);
    close(arr(p), [0.9, -1.9]);
    done();
  });

  test('exported state restores an identical optimizer', async () => {
    const a = setup();
    await a.opt.apply({ w: tf.tensor1d([0.5, -0.1]) }, 0.1);
    const b = setup(arr(a.p));
    b.opt.importState(await a.opt.exportState());
    expect(b.opt.step).toBe(1);
    await a.opt.apply({ w: tf.tensor1d([-0.5, 0.3]) }, 0.1);
    await b.opt.apply({ w: tf.tensor1d([-0.5, 0.3]) }, 0.1);
    close(arr(b.p), [0.9052632, -1.949419]);
    close(arr(b.p), arr(a.p), 7);
    expect(() => b.opt.importState({ step: 1, m: {}, v: {} })).toThrow(OptimStateError);
    expect(() => b.opt.importState({ step: 1, m: { w: new Float32Array(3) }, v: { w: new Float32Array(2) } })).toThrow(
      /'m' for 'w' has 3 values; the parameter has 2/,
    );
    a.done();
    b.done();
  });

  test('creating and disposing an optimizer leaves tf.memory() as it was', () => {
    const w = tf.variable(tf.tensor1d([1, 2]));
    const before = tf.memory().numTensors;
    const opt = new AdamW(new Map([['w', w]]), CFG);
    expect(tf.memory().numTensors).toBe(before + 2); // exactly the two moment variables m and v
    opt.dispose();
    expect(tf.memory().numTensors).toBe(before);
    w.dispose();
  });

  test('a step leaks no tensors', async () => {
    const { opt, done } = setup();
    const g = { w: tf.tensor1d([0.5, -0.1]) };
    await opt.apply(g, 0.1); // first call may allocate backend scratch
    const before = tf.memory().numTensors;
    await opt.apply(g, 0.1);
    await opt.apply({ w: g.w }, 0.1, Number.NaN);
    await opt.exportState();
    expect(tf.memory().numTensors).toBe(before);
    g.w.dispose();
    done();
  });
});
