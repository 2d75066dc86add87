import { test, expect } from 'vitest';
import {
  loadTokenizer,
  loadCherryTokenizer,
  buildCherryTokenizer,
  TokenizerLoadError,
  formatMessages,
  promptIds,
  completionIds,
  CHERRY_VOCAB_SIZE,
  loadTokenizerText,
} from '../../src/tokenizer';

// Hand-computed ids: printable ASCII c -> code(c) - 27; "\n" -> 4; <pad> 0, <bos> 1, <eos> 2, <unk> 3.
// "1"=49-27=22, "2"=23, "+"=43-27=16, "="=61-27=34, "3"=24, "4"=25, "5"=26, "7"=28, " "=5, "a"=70, "~"=99.

test('reference ids for hand-computed strings', async () => {
  const tok = await loadCherryTokenizer();
  expect(tok.encode('12+345=357')).toEqual([22, 23, 16, 24, 25, 26, 34, 24, 26, 28]);
  expect(tok.encode('a b\n~')).toEqual([70, 5, 71, 4, 99]);
  expect(tok.encode('{"x": 1}')).toEqual([123 - 27, 34 - 27, 120 - 27, 34 - 27, 58 - 27, 5, 22, 125 - 27]);
  expect(tok.encode('')).toEqual([]);
});

test('special token ids and vocabulary size', async () => {
  const tok = await loadCherryTokenizer();
  expect(tok.vocabSize).toBe(100);
  expect(CHERRY_VOCAB_SIZE).toBe(100);
  expect(tok.bosId).toBe(1);
  expect(tok.eosIds).toEqual([2]);
  expect(tok.padId).toBe(0);
  expect(tok.tokenToId('<unk>')).toBe(3);
  expect(tok.tokenToId('nope')).toBeNull();
  // Without tokenizer_config.json the ids are found from the added tokens' names.
  const bare = await loadTokenizer(buildCherryTokenizer(), 'bare');
  expect([bare.bosId, bare.eosIds, bare.padId]).toEqual([1, [2], 0]);
});

test('round trip on task strings, spacing kept exactly', async () => {
  const tok = await loadCherryTokenizer();
  const strings = [
    '812-97=',
    '715',
    'Numbers: 3 7 25 50 Target: 182\n(50+25)*3-7+... ',
    'Ann is 34 and lives in Oslo.\n{"name": "Ann", "age": 34, "city": "Oslo"}',
    'reverse: cat dog  owl , . ! ?',
    "it 's a , b .",
    '  leading and trailing  ',
  ];
  for (const s of strings) expect(tok.decode(tok.encode(s))).toBe(s);
  // Every printable ASCII character round-trips and maps to its own id.
  let all = '';
  for (let c = 32; c <= 126; c++) all += String.fromCharCode(c);
  expect(tok.encode(all)).toEqual(Array.from({ length: 95 }, (_, i) => i + 5));
  expect(tok.decode(tok.encode(all))).toBe(all);
});

test('unknown characters become <unk>; special tokens dropped on decode unless asked', async () => {
  const tok = await loadCherryTokenizer();
  expect(tok.encode('é!')).toEqual([3, 6]);
  expect(tok.decode([1, 22, 16, 22, 34, 23, 2, 0])).toBe('1+1=2');
  expect(tok.decode([1, 22, 2], { keepSpecial: true })).toBe('<bos>1<eos>');
  expect(tok.decode([])).toBe('');
  expect(tok.decode([22, 120, 23])).toBe('12'); // 120 is past vocabSize (a padded embedding table)
});

test('prompt format: <bos> + prompt, completion + <eos>; messages joined by newline', async () => {
  const tok = await loadCherryTokenizer();
  expect(promptIds(tok, '1+2=')).toEqual([1, 22, 16, 23, 34]);
  expect(completionIds(tok, '3')).toEqual([24, 2]);
  expect(formatMessages([{ role: 'user', content: '1+2=' }])).toBe('1+2=');
  expect(
    formatMessages([
      { role: 'system', content: 'Add.' },
      { role: 'user', content: [{ type: 'text', text: '1+' }, { type: 'image_url' }, { type: 'text', text: '2=' }] },
    ]),
  ).toBe('Add.\n1+2=');
});

test('malformed tokenizer.json gives a named error with the file and the field', async () => {
  const bad: [unknown, RegExp][] = [
    ['not an object', /top level.*string/],
    [[1, 2], /top level.*array/],
    [{}, /"model" must be an object/],
    [{ model: { vocab: {} } }, /"model\.type"/],
    [{ model: { type: 'BPE', vocab: [] } }, /"model\.vocab"/],
    [{ model: { type: 'BPE', vocab: { a: -1 }, merges: [] } }, /"a" to -1/],
    [{ model: { type: 'BPE', vocab: { a: 0 }, merges: 'x' } }, /"model\.merges"/],
    [{ model: { type: 'BPE', vocab: { a: 0 }, merges: [] }, added_tokens: [{ id: 'x' }] }, /added_tokens\[0\]/],
    [{ model: { type: 'Zebra', vocab: {} } }, /Zebra/],
  ];
  for (const [json, re] of bad) {
    const p = loadTokenizer(json, 'models/x/tokenizer.json');
    await expect(p).rejects.toBeInstanceOf(TokenizerLoadError);
    await expect(p).rejects.toThrow(/models\/x\/tokenizer\.json/);
    await expect(p).rejects.toThrow(re);
  }
});

test('a real-style BPE tokenizer with merges loads through the same path', async () => {
  // Hand-made: chars a,b,c plus merges a+b -> "ab", ab+c -> "abc".
  const json = {
    added_tokens: [{ id: 0, content: '</s>', special: true, single_word: false, lstrip: false, rstrip: false, normalized: false }],
    decoder: { type: 'Fuse' },
    model: { type: 'BPE', vocab: { '</s>': 0, a: 1, b: 2, c: 3, ab: 4, abc: 5 }, merges: ['a b', 'ab c'] },
  };
  const tok = await loadTokenizer(json, 'mini', { eos_token: '</s>' });
  expect(tok.encode('abcab')).toEqual([5, 4]);
  expect(tok.encode('cba')).toEqual([3, 2, 1]);
  expect(tok.eosIds).toEqual([0]);
  expect(tok.bosId).toBeNull();
  expect(tok.vocabSize).toBe(6);
});

test('tokenizer.json text that is not JSON names the file, line and column', async () => {
  const good = JSON.stringify(buildCherryTokenizer());
  const tok = await loadTokenizerText(good, 'm/tokenizer.json');
  expect(tok.encode('1')).toEqual([22]);
  const broken = good.slice(0, 17) + '\n,' + good.slice(17); // after '{"version":"1.0",'
  await expect(loadTokenizerText(broken, 'm/tokenizer.json')).rejects.toThrow(TokenizerLoadError);
  await expect(loadTokenizerText(broken, 'm/tokenizer.json')).rejects.toThrow(/'m\/tokenizer\.json': invalid JSON at line 2, column 1/);
  await expect(loadTokenizerText('', 'm/tokenizer.json')).rejects.toThrow(/line 1, column 1/);
  await expect(loadTokenizerText(good, 'm/tokenizer.json', '{"bos_token": }', 'm/tokenizer_config.json')).rejects.toThrow(
    /m\/tokenizer_config\.json.*line 1, column 15/,
  );
});

test('a GPT-2-style byte-level BPE tokenizer.json: hand-worked merges', async () => {
  // "hello world" -> pre-tokens "hello", "Ġworld" (Ġ is the byte-level space).
  // hello: h e -> he, l l -> ll, he ll -> hell, hell o -> hello (12).
  // Ġworld: Ġ w -> Ġw, o r -> or, Ġw or -> Ġwor (15), then l (3), d (8).
  const json = {
    added_tokens: [{ id: 0, content: '<|endoftext|>', special: true, single_word: false, lstrip: false, rstrip: false, normalized: false }],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      vocab: {
        '<|endoftext|>': 0,
        h: 1,
        e: 2,
        l: 3,
        o: 4,
        Ġ: 5,
        w: 6,
        r: 7,
        d: 8,
        he: 9,
        ll: 10,
        hell: 11,
        hello: 12,
        Ġw: 13,
        or: 14,
        Ġwor: 15,
      },
      merges: ['h e', 'l l', 'he ll', 'hell o', 'Ġ w', 'o r', 'Ġw or'],
    },
  };
  const tok = await loadTokenizer(json, 'gpt2-mini/tokenizer.json');
  expect(tok.encode('hello world')).toEqual([12, 15, 3, 8]);
  expect(tok.decode([12, 15, 3, 8, 0])).toBe('hello world');
  expect(tok.eosIds).toEqual([0]);
  expect(tok.vocabSize).toBe(16);
});
