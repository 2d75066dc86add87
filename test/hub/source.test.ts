// Model sources: every accepted form, the URL each file resolves to (huggingface_hub's hf_hub_url
// encoding: the revision quoted with safe=""), the cache key, and the message of each rejected form.
import { describe, expect, test } from 'vitest';
import { fileUrl, isRemoteSource, ModelSourceError, parseModelSource, repoKey, sourceText } from '../../src/hub';

const HF = 'https://huggingface.co';

describe('parseModelSource', () => {
  test('hf: ids resolve against the endpoint, revision main by default, quoted like huggingface_hub', () => {
    const s = parseModelSource('hf:HuggingFaceTB/SmolLM2-135M-Instruct');
    expect(s).toEqual({ kind: 'hub', endpoint: HF, repo: 'HuggingFaceTB/SmolLM2-135M-Instruct', revision: 'main' });
    expect(fileUrl(s, 'config.json')).toBe('https://huggingface.co/HuggingFaceTB/SmolLM2-135M-Instruct/resolve/main/config.json');
    // huggingface_hub: quote("refs/pr/1", safe="") == "refs%2Fpr%2F1"
    const pr = parseModelSource('hf:Qwen/Qwen3-0.6B@refs/pr/1', 'http://127.0.0.1:9999/');
    expect(pr).toEqual({ kind: 'hub', endpoint: 'http://127.0.0.1:9999', repo: 'Qwen/Qwen3-0.6B', revision: 'refs/pr/1' });
    expect(fileUrl(pr, 'model-00001-of-00002.safetensors')).toBe(
      'http://127.0.0.1:9999/Qwen/Qwen3-0.6B/resolve/refs%2Fpr%2F1/model-00001-of-00002.safetensors',
    );
    expect(fileUrl(pr, 'config.json', 'a'.repeat(40))).toBe(`http://127.0.0.1:9999/Qwen/Qwen3-0.6B/resolve/${'a'.repeat(40)}/config.json`);
    expect(sourceText(parseModelSource('hf:openai-community/gpt2@v1.0'))).toBe('hf:openai-community/gpt2@v1.0');
    expect(sourceText(pr)).toBe('http://127.0.0.1:9999/Qwen/Qwen3-0.6B/tree/refs%2Fpr%2F1');
    expect(parseModelSource(sourceText(pr), 'https://example.org')).toEqual(pr);
  });

  test('Hub page URLs: model page, tree, blob and resolve; any host in that layout; URLs under the endpoint', () => {
    const cases: Array<[string, string, string, string]> = [
      ['https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct', HF, 'Qwen/Qwen2.5-0.5B-Instruct', 'main'],
      ['https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct/', HF, 'Qwen/Qwen2.5-0.5B-Instruct', 'main'],
      ['https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct?library=transformers', HF, 'Qwen/Qwen2.5-0.5B-Instruct', 'main'],
      ['https://huggingface.co/Qwen/Qwen3-0.6B/tree/v2', HF, 'Qwen/Qwen3-0.6B', 'v2'],
      ['https://huggingface.co/Qwen/Qwen3-0.6B/tree/refs%2Fpr%2F7', HF, 'Qwen/Qwen3-0.6B', 'refs/pr/7'],
      ['https://huggingface.co/Qwen/Qwen3-0.6B/blob/main/config.json', HF, 'Qwen/Qwen3-0.6B', 'main'],
      ['https://huggingface.co/Qwen/Qwen3-0.6B/resolve/main', HF, 'Qwen/Qwen3-0.6B', 'main'],
      ['https://hf-mirror.com/Qwen/Qwen3-0.6B/resolve/abc', 'https://hf-mirror.com', 'Qwen/Qwen3-0.6B', 'abc'],
      ['http://127.0.0.1:8080/org/tiny', 'http://127.0.0.1:8080', 'org/tiny', 'main'],
    ];
    for (const [url, endpoint, repo, revision] of cases) {
      expect(parseModelSource(url, url.startsWith('http://') ? 'http://127.0.0.1:8080' : HF), url).toEqual({
        kind: 'hub',
        endpoint,
        repo,
        revision,
      });
    }
  });

  test('other http(s) URLs are base URLs serving the files', () => {
    const s = parseModelSource('http://127.0.0.1:8080/static/org/tiny/');
    expect(s).toEqual({ kind: 'url', baseUrl: 'http://127.0.0.1:8080/static/org/tiny' });
    expect(fileUrl(s, 'tokenizer.json')).toBe('http://127.0.0.1:8080/static/org/tiny/tokenizer.json');
    expect(repoKey(s)).toBe('url--127.0.0.1_8080--static--org--tiny');
    expect(repoKey(parseModelSource('hf:a/b'))).toBe('huggingface.co--a--b');
  });

  test('bad forms throw ModelSourceError naming the problem and listing the accepted forms', () => {
    const cases: Array<[string, RegExp]> = [
      ['SmolLM2-135M', /not an hf: id or an http\(s\) URL/],
      ['ftp://x/y', /not an hf: id or an http\(s\) URL/],
      ['hf:gpt2', /'gpt2' must be ORG\/NAME/],
      ['hf:a/b/c', /must be ORG\/NAME/],
      ['hf:org/na me', /model name 'na me' is not a valid Hub name/],
      ['hf:-org/name', /organisation '-org' is not a valid Hub name/],
      ['hf:org/name@', /revision after @ must be a non-empty/],
      ['https://huggingface.co/datasets/org/data', /a Hub dataset, not a model/],
      ['https://huggingface.co/org', /must be a model page/],
      ['https://huggingface.co/org/name/discussions', /must be a model page/],
      ['http://[bad', /not a valid URL/],
    ];
    for (const [input, why] of cases) {
      let err: unknown;
      try {
        parseModelSource(input);
      } catch (e) {
        err = e;
      }
      expect(err, input).toBeInstanceOf(ModelSourceError);
      const msg = (err as Error).message; // test: checked to be a ModelSourceError just above
      expect(msg, input).toMatch(why);
      expect(msg).toContain(`model source '${input}'`);
      expect(msg).toContain('Accepted: hf:ORG/NAME[@REVISION]');
    }
  });

  test('isRemoteSource tells sources from local folders', () => {
    expect(['hf:a/b', 'https://x/y', 'HTTP://x'].map(isRemoteSource)).toEqual([true, true, true]);
    expect(['./models/tiny', '/abs/dir', 'hf', 'org/name'].map(isRemoteSource)).toEqual([false, false, false, false]);
  });
});
