// No tensor leaks: numTensors is unchanged by 50 sampling calls and 20 training steps.
import { test, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { generate, initLlama, tokenLogprobs } from '../../src/model';
import { tinyConfig, useBackend } from './helpers';

for (const backend of ['cpu', 'wasm'] as const) {
  test(`${backend}: 50 generate calls and 20 Adam steps leave tf.memory().numTensors unchanged`, async () => {
    await useBackend(backend);
    const m = initLlama(tinyConfig({ numLayers: 1 }), 3, 0.3);
    const opt = tf.train.adam(1e-2);
    // One warm-up step creates Adam's slot variables, which live as long as the optimizer.
    const step = (): number => {
      const cost = opt.minimize(
        () =>
          tf.neg(
            tf.mean(
              tokenLogprobs(m, [
                [1, 2, 3, 4, 5],
                [1, 6, 7, 8, 9],
              ]).logprobs,
            ),
          ) as tf.Scalar,
        true,
      ); // rank cast: mean of all entries
      const v = cost!.dataSync()[0];
      cost!.dispose();
      return v;
    };
    const first = step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) {
      await generate(m, [[1, 2], [1]], {
        maxNewTokens: 3,
        temperature: i % 2 ? 0 : 0.9,
        topK: i % 3 ? 5 : 0,
        topP: i % 4 ? 0.9 : 1,
        seed: i,
        eosIds: [],
      });
    }
    let last = first;
    for (let i = 0; i < 20; i++) last = step();
    expect(tf.memory().numTensors).toBe(before);
    expect(last).toBeLessThan(first); // the steps really trained
    opt.dispose();
    m.dispose();
  });
}
