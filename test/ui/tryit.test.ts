// Pure helpers of the try-it pane (src/ui/tryit/helpers.ts), against hand-computed values.
import { expect, test } from 'vitest';
import {
  handRequests,
  itemLabel,
  itemText,
  parseItem,
  sampledRequests,
  spreadOf,
  spreadText,
  TryItemError,
} from '../../src/ui/tryit/helpers';

test('the item JSON box: an object parses, anything else is refused with what to write', () => {
  expect(parseItem('{"numbers": [2, 3], "target": 6}')).toEqual({ numbers: [2, 3], target: 6 });
  expect(() => parseItem('{"a": ')).toThrow(TryItemError);
  expect(() => parseItem('{"a": ')).toThrow(/cannot be parsed.*\{"reference_answer": "42"\}/);
  expect(() => parseItem('[1]')).toThrow(/must be a JSON object.*an array/);
  expect(() => parseItem('"42"')).toThrow(/must be a JSON object.*"42"/);
  expect(itemText({ a: 1 })).toBe('{\n  "a": 1\n}');
  expect(parseItem(itemText({ prompt: 'p', target: 24 }))).toEqual({ prompt: 'p', target: 24 });
});

test('picker labels: 1-based, prompt on one line, cut with an ellipsis at max characters', () => {
  expect(itemLabel({ prompt: 'Reverse:\n  a b' }, 0)).toBe('#1 · Reverse: a b');
  expect(itemLabel({ prompt: 'abcdefghij' }, 2, 5)).toBe('#3 · abcd…'); // 4 characters + "…" = 5
  expect(itemLabel({ reference_answer: '7' }, 1)).toBe('#2 · {"reference_answer":"7"}');
});

test('requests: hand-written lines against the picked item; samples against their own items, item by item', () => {
  const item = { prompt: 'q', target: 24 };
  const hand = handRequests('8*3\n\n  \n24', item);
  expect(hand.map((r) => [r.sample.output_text, r.sample.output_tokens, r.sample.finish_reason, r.item])).toEqual([
    ['8*3', 3, 'stop', item],
    ['24', 2, 'stop', item],
  ]);
  const a = { prompt: 'a' },
    b = { prompt: 'b' };
  const reqs = sampledRequests({
    items: [a, b],
    completions: [
      [
        { text: 'x', tokens: 2, finish_reason: 'stop' },
        { text: 'yy', tokens: 4, finish_reason: 'length' },
      ],
      [
        { text: 'z', tokens: 1, finish_reason: 'stop' },
        { text: 'w', tokens: 3, finish_reason: 'stop' },
      ],
    ],
  });
  expect(reqs.map((r) => [r.sample.output_text, r.sample.output_tokens, r.sample.finish_reason, r.item])).toEqual([
    ['x', 2, 'stop', a],
    ['yy', 4, 'length', a],
    ['z', 1, 'stop', b],
    ['w', 3, 'stop', b],
  ]);
});

test('a group\'s reward spread, and "no signal" when rewards are all equal or too few are scored', () => {
  expect(spreadOf([0.25, 1, null, 0.5])).toEqual({ scored: 3, min: 0.25, max: 1, noSignal: false });
  expect(spreadText(spreadOf([0.25, 1, null, 0.5]), 4)).toBe('spread 0.750 (0.250–1.000)');
  expect(spreadOf([1, 1, 1, 1])).toEqual({ scored: 4, min: 1, max: 1, noSignal: true });
  expect(spreadText(spreadOf([1, 1, 1, 1]), 4)).toBe('no signal: all 4 rewards are 1.000');
  expect(spreadText(spreadOf([0, null, 0]), 3)).toBe('no signal: all 2 rewards are 0.000 (1 unscorable)');
  expect(spreadText(spreadOf([null, 0.5]), 2)).toBe('no signal: only 1 of 2 samples could be scored');
  expect(spreadText(spreadOf([null, null]), 2)).toBe('no signal: none of the 2 samples could be scored');
});
