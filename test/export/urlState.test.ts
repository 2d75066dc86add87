import { test, expect } from 'vitest';
import { deflateSync, strToU8 } from 'fflate';
import { decodeState, encodeState, DEFAULT_STATE, STATE_FIELDS } from '../../src/export/urlState';
import { fromBase64Url, toBase64Url, decompressText } from '../../src/export/base64url';
import { DEFAULT_CONFIG, resolveConfig } from '../../src/rl/config';
import type { ShareState } from '../../src/export/urlState';

test('base64url matches RFC 4648 test vectors (section 10), without padding', () => {
  const enc = (s: string) => toBase64Url(new TextEncoder().encode(s));
  expect(['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar'].map(enc)).toEqual(['', 'Zg', 'Zm8', 'Zm9v', 'Zm9vYg', 'Zm9vYmE', 'Zm9vYmFy']);
  // 0xfb 0xff: '+/' in base64 becomes '-_' in base64url.
  expect(toBase64Url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
  expect([...fromBase64Url('-_8')]).toEqual([0xfb, 0xff]);
  expect(new TextDecoder().decode(fromBase64Url('Zm9vYmFy'))).toBe('foobar');
});

test('round trip: task, every hyperparameter, and a unicode grader source', () => {
  const code =
    '// Grüße, 日本語, emoji 🍒 and "quotes" & ampersands = signs\nfunction grade(s, i) { return s.output_text.includes("🍒") ? 1 : 0; }\n';
  const state: ShareState = {
    task: 'countdown',
    config: resolveConfig({ algo: 'dapo', learning_rate: 3e-5, seed: 7, adam_epsilon: 1e-8, beta: 0.04, num_generations: 4, top_k: 5 }),
    grader: { kind: 'js', code, name: 'cherry émoji' },
  };
  const hash = encodeState(state);
  expect(hash).not.toMatch(/[#\s]/);
  const { state: back, errors } = decodeState('#' + hash);
  expect(errors).toEqual([]);
  expect(back).toEqual(state);
  expect(back.config.epsilon_high).toBe(0.28); // dapo's preset survives
});

test('a spec grader round trips and is validated', () => {
  const state: ShareState = {
    ...DEFAULT_STATE,
    grader: {
      kind: 'spec',
      spec: {
        type: 'string_check',
        name: 'exact',
        input: '{{ sample.output_text }}',
        reference: '{{ item.reference_answer }}',
        operation: 'eq',
      },
    },
  };
  expect(decodeState(encodeState(state))).toEqual({ state, errors: [] });
});

test('every RLConfig field and task/grader are rows of the one table', () => {
  expect(STATE_FIELDS.map((f) => f.key)).toEqual(['task', ...Object.keys(DEFAULT_CONFIG), 'grader', 'hide', 'lock']);
});

test('a malformed hash reports each bad field and keeps its default', () => {
  const hash = '#task=nope&learning_rate=abc&num_generations=1&beta=-3&dynamic_sampling=maybe&colour=red&grader=%%%&seed=5';
  const { state, errors } = decodeState(hash);
  expect(errors.map((e) => e.field).sort()).toEqual(
    ['beta', 'colour', 'dynamic_sampling', 'grader', 'learning_rate', 'num_generations', 'task'].sort(),
  );
  expect(state.task).toBe('arithmetic');
  expect(state.grader).toBeNull();
  // Only the valid field (seed) changed.
  expect(state.config).toEqual({ ...DEFAULT_CONFIG, seed: 5 });
  const ng = errors.find((e) => e.field === 'num_generations');
  expect(ng?.message).toMatch(/at least 2/);
  expect(errors.find((e) => e.field === 'colour')?.message).toMatch(/unknown field/);
});

test('a grader blob that is not deflated JSON of a grader is reported, not thrown', () => {
  const notGrader = toBase64Url(deflateSync(strToU8(JSON.stringify({ kind: 'cobol', code: 'x' }))));
  const badSpec = toBase64Url(deflateSync(strToU8(JSON.stringify({ kind: 'spec', spec: { type: 'string_check', name: 'x' } }))));
  for (const g of [notGrader, badSpec, 'AAAA']) {
    const { state, errors } = decodeState(`grader=${g}`);
    expect(state.grader).toBeNull();
    expect(errors).toHaveLength(1);
    expect(errors[0].field).toBe('grader');
  }
  expect(() => decompressText('A')).toThrow(/cut short/);
});

test('changing only algo in a link applies its preset; extra tasks can be allowed', () => {
  const { state, errors } = decodeState('algo=dr_grpo&task=my.jsonl', { extraTasks: ['my.jsonl'] });
  expect(errors).toEqual([]);
  expect(state.task).toBe('my.jsonl');
  expect(state.config.loss_type).toBe('dr_grpo');
  expect(state.config.scale_rewards).toBe('none');
});

test('hide and lock carry lists of settings; unknown names are reported and dropped; absent when not set', () => {
  const state: ShareState = { ...DEFAULT_STATE, controls: { hide: ['beta', 'epsilon'], lock: ['algo'] } };
  const hash = encodeState(state);
  expect(new URLSearchParams(hash).get('hide')).toBe('beta,epsilon');
  expect(decodeState(hash)).toEqual({ state, errors: [] });
  expect(encodeState(DEFAULT_STATE)).not.toMatch(/hide=|lock=/);
  expect(decodeState(encodeState(DEFAULT_STATE)).state.controls).toBeUndefined();
  const { state: s, errors } = decodeState('task=arithmetic&lock=seed,bogus_knob');
  expect(s.controls).toEqual({ hide: [], lock: ['seed'] });
  expect(errors.map((e) => e.message)).toEqual([
    `link field 'lock' = "seed,bogus_knob" ignored: unknown setting bogus_knob; kept "the known ones"`,
  ]);
});
