// The wasm-backend traps from DESIGN.md: each raw trap is shown to exist, then Cherry's path works.
import { test, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { embed, oneHotF32 } from '../../src/model';
import { useBackend } from './helpers';

test('wasm: tf.oneHot(..., 1, 0, "float32") is not exactly 1 there, oneHotF32 is', async () => {
  await useBackend('wasm');
  const ids = tf.tensor1d([2, 0, 1], 'int32');
  const raw = tf.oneHot(ids, 3, 1, 0, 'float32');
  const rawVals = Array.from(raw.dataSync());
  // The trap: the "ones" come back as something other than 1 (denormals).
  expect(rawVals.filter((v) => v === 1).length).toBeLessThan(3);
  const ours = oneHotF32(ids, 3);
  expect(Array.from(ours.dataSync())).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
  tf.dispose([ids, raw, ours]);
});

test("wasm: gradient of tf.gather throws, embed()'s gradient equals the hand-computed one", async () => {
  await useBackend('wasm');
  const table = tf.variable(
    tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]),
    true,
    'wasm-test-table',
  );
  const ids = tf.tensor2d(
    [
      [2, 0],
      [2, 2],
    ],
    [2, 2],
    'int32',
  );
  const w = tf.tensor3d([
    [
      [1, 10],
      [100, 1000],
    ],
    [
      [2, 20],
      [3, 30],
    ],
  ]); // weights per looked-up row
  // The trap (this throwing call leaks a few tensors; acceptable in a test).
  expect(() => tf.variableGrads(() => tf.sum(tf.mul(tf.reshape(tf.gather(table, tf.reshape(ids, [-1])), [2, 2, 2]), w)))).toThrow();
  const { grads, value } = tf.variableGrads(() => tf.sum(tf.mul(embed(ids, table, 'rows'), w)) as tf.Scalar); // rank cast: sum of all entries
  // d/dtable[r] = sum of w over the positions that looked up row r: row 0 ← [100,1000]; row 2 ← [1,10]+[2,20]+[3,30].
  expect(Array.from(grads[table.name].dataSync())).toEqual([100, 1000, 0, 0, 6, 60]);
  expect(value.dataSync()[0]).toBe(5 + 60 + 100 + 2000 + 10 + 120 + 15 + 180);
  // The same table held [D, V] (a table tied to the output head): same lookups, the gradient transposed.
  const cols = tf.variable(tf.transpose(table), true, 'wasm-test-table-columns');
  const c = tf.variableGrads(() => tf.sum(tf.mul(embed(ids, cols, 'columns'), w)) as tf.Scalar); // rank cast: sum of all entries
  expect(Array.from(c.grads[cols.name].dataSync())).toEqual([100, 0, 6, 1000, 0, 60]);
  expect(c.value.dataSync()[0]).toBe(value.dataSync()[0]);
  tf.dispose([table, cols, ids, w, value, c.value, ...Object.values(grads), ...Object.values(c.grads)]);
});
