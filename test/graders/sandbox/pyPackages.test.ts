// Python graders beyond the standard library: Cherry's rapidfuzz against rapidfuzz's documented values and
// against the fuzzy_match metric; on-demand packages from a package source (a real wheel this test builds
// and serves from 127.0.0.1 with a lock-file entry, since Pyodide's numpy wheel is not in the pyodide npm
// package and there is no network here), cached for offline use; and the messages when a package cannot be had.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPythonGrader, GraderLoadError } from '../../../src/graders/sandbox';
import { setPythonPackageSource } from '../../../src/graders/sandbox/pyPackages';
import { fuzzyRatio } from '../../../src/graders/metrics';
import { makeSample } from '../../../src/graders/types';

const sample = (t: string, item: Record<string, unknown> = {}) => ({ sample: makeSample(t, 1), item });

afterAll(() => setPythonPackageSource({}));

test("rapidfuzz in a Python grader gives rapidfuzz's documented values", async () => {
  // Values from rapidfuzz's README and docstrings (https://rapidfuzz.github.io/RapidFuzz/Usage/fuzz.html,
  // https://github.com/rapidfuzz/RapidFuzz#usage), printed there as float32 (96.55171966552734 = 28/29·100).
  const g = await createPythonGrader(
    `
from rapidfuzz import fuzz, utils
CASES = {
    "ratio": fuzz.ratio("this is a test", "this is a test!"),
    "partial_ratio": fuzz.partial_ratio("this is a test", "this is a test!"),
    "ratio_bear": fuzz.ratio("fuzzy wuzzy was a bear", "wuzzy fuzzy was a bear"),
    "token_sort": fuzz.token_sort_ratio("fuzzy wuzzy was a bear", "wuzzy fuzzy was a bear"),
    "token_set": fuzz.token_set_ratio("fuzzy was a bear", "fuzzy fuzzy was a bear"),
    "token_set_subset": fuzz.token_set_ratio("fuzzy was a bear but not a dog", "fuzzy was a bear"),
    "token_set_cat": fuzz.token_set_ratio("fuzzy was a bear but not a dog", "fuzzy was a bear but not a cat"),
    "partial_align": fuzz.partial_ratio("a certain string", "cetain"),
    "qratio": fuzz.QRatio("this is a test", "this is a test!"),
    "wratio_giants": fuzz.WRatio("new york jets", "New York Giants", processor=utils.default_process),
    "wratio_jets": fuzz.WRatio("new york jets", "New York Jets", processor=utils.default_process),
    "wratio_cowboys": fuzz.WRatio("cowboys", "Dallas Cowboys", processor=utils.default_process),
    "token_sort_bear": fuzz.token_sort_ratio("fuzzy was a bear", "fuzzy fuzzy was a bear"),
    "default_process": utils.default_process("  Hello, World! "),
}
def grade(sample, item):
    return {"score": 1.0, "details": CASES}
`,
    { name: 'rf' },
  );
  const [r] = await g.gradeBatch([sample('x')]);
  g.dispose();
  const d = r.details as Record<string, number | string>; // the grader's own details dict
  const docs: Record<string, number> = {
    ratio: 96.55171966552734,
    partial_ratio: 100,
    ratio_bear: 90.90908813476562,
    token_sort: 100,
    token_set: 100,
    token_set_subset: 100,
    token_set_cat: 92.3076923076923,
    partial_align: 83.33333333333334,
    qratio: 96.55171966552734,
    // process.extract examples of the README (scorer WRatio, default_process): 78.57142639160156 and 90; 100 for the exact match.
    wratio_giants: 78.57142639160156,
    wratio_jets: 100,
    wratio_cowboys: 90,
  };
  for (const [k, v] of Object.entries(docs)) expect(d[k], k).toBeCloseTo(v, 4);
  // The README prints 83.8709716796875 for this call, from an older release; ratio of the sorted strings
  // "a bear fuzzy was" and "a bear fuzzy fuzzy was" is 2·16/38 (by hand), as thefuzz's README (84, rounded) agrees.
  expect(d.token_sort_bear).toBeCloseTo(3200 / 38, 10);
  expect(d.default_process).toBe('hello  world');
});

test('fuzz.ratio is the fuzzy_match metric: equal on random strings, and the graders guide example runs', async () => {
  const rnd = (n: number, seed: number) => Array.from({ length: n }, (_, i) => 'ab c\u00e9'[(seed * 31 + i * i * 7) % 5]).join('');
  const pairs = Array.from({ length: 40 }, (_, k) => [rnd(k % 13, k), rnd((k * 5) % 11, k + 3)]);
  // The Python grader example of OpenAI's graders guide (https://platform.openai.com/docs/guides/graders).
  const g = await createPythonGrader(
    `
from rapidfuzz import fuzz, utils

def grade(sample, item) -> float:
    if item.get("raw"):
        return fuzz.ratio(sample["output_text"], item["reference_answer"]) / 100.0
    output_text = sample["output_text"]
    reference_answer = item["reference_answer"]
    return fuzz.WRatio(output_text, reference_answer, processor=utils.default_process) / 100.0
`,
    { name: 'guide' },
  );
  const out = await g.gradeBatch([
    ...pairs.map(([a, b]) => sample(a, { reference_answer: b, raw: true })),
    sample('this is a test', { reference_answer: 'this is a new test!!!' }),
  ]);
  g.dispose();
  pairs.forEach(([a, b], i) => expect(out[i].reward, `${a}|${b}`).toBeCloseTo(fuzzyRatio(a, b), 12));
  // rapidfuzz docs: WRatio("this is a test", "this is a new test!!!", processor=default_process) = 95.
  expect(out[pairs.length].reward).toBeCloseTo(0.95, 12);
});

// ---- packages from a package source ----

let server: Server;
let base = '';
let requests = 0;
let lockPath = '';
let cacheDir = '';

/** A real wheel: a pure-Python package with its dist-info (METADATA, WHEEL, RECORD), built with zipfile. */
function buildWheel(dir: string): { file: string; sha256: string } {
  const file = 'cherrytiny-1.0-py3-none-any.whl';
  execFileSync('python3', [
    '-c',
    `
import zipfile, sys
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("cherrytiny/__init__.py", "def triple(x):\\n    return 3 * x\\n")
    z.writestr("cherrytiny-1.0.dist-info/METADATA", "Metadata-Version: 2.1\\nName: cherrytiny\\nVersion: 1.0\\n")
    z.writestr("cherrytiny-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\\nGenerator: cherry-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")
    z.writestr("cherrytiny-1.0.dist-info/RECORD", "cherrytiny/__init__.py,,\\ncherrytiny-1.0.dist-info/METADATA,,\\ncherrytiny-1.0.dist-info/WHEEL,,\\ncherrytiny-1.0.dist-info/RECORD,,\\n")
`,
    join(dir, file),
  ]);
  return {
    file,
    sha256: createHash('sha256')
      .update(readFileSync(join(dir, file)))
      .digest('hex'),
  };
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cherry-wheels-'));
  cacheDir = mkdtempSync(join(tmpdir(), 'cherry-wheel-cache-'));
  const { file, sha256 } = buildWheel(dir);
  // The installed Pyodide's lock file, plus one entry for the test wheel.
  const lock = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('pyodide/pyodide-lock.json'), 'utf8'));
  lock.packages.cherrytiny = {
    name: 'cherrytiny',
    version: '1.0',
    file_name: file,
    install_dir: 'site',
    sha256,
    package_type: 'package',
    imports: ['cherrytiny'],
    depends: [],
    unvendored_tests: false,
    tool: {},
  };
  lockPath = join(dir, 'pyodide-lock.json');
  writeFileSync(lockPath, JSON.stringify(lock));
  server = createServer((req, res) => {
    requests++;
    const name = (req.url ?? '').replace(/^\//, '');
    if (name !== file) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    res.end(readFileSync(join(dir, file)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`; // listen() on TCP gives an AddressInfo
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const USES_PKG = 'import cherrytiny\n\ndef grade(sample, item):\n    return cherrytiny.triple(float(sample["output_text"]))\n';

test('a package named in the lock file loads on demand from the package source, then from the cache offline', async () => {
  setPythonPackageSource({ packageBaseUrl: base, lockFileURL: lockPath, cacheDir });
  const g = await createPythonGrader(USES_PKG, { name: 'pkg' });
  expect((await g.gradeBatch([sample('0.25')]))[0].reward).toBe(0.75);
  g.dispose();
  expect(requests).toBe(1);
  expect(readdirSync(cacheDir)).toContain('cherrytiny-1.0-py3-none-any.whl');
  // The source goes away (offline): the cached copy is used.
  setPythonPackageSource({ packageBaseUrl: 'http://127.0.0.1:9/', lockFileURL: lockPath, cacheDir });
  const again = await createPythonGrader(USES_PKG, { name: 'pkg' });
  expect((await again.gradeBatch([sample('1')]))[0].reward).toBe(3);
  again.dispose();
});

test('without the package and without network: a load error naming the package and how to make it available', async () => {
  setPythonPackageSource({
    packageBaseUrl: 'http://127.0.0.1:9/',
    lockFileURL: lockPath,
    cacheDir: mkdtempSync(join(tmpdir(), 'empty-cache-')),
  });
  const e = await createPythonGrader(USES_PKG, { name: 'pkg' }).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(GraderLoadError);
  expect(String(e)).toMatch(
    /grader 'pkg': the Python package\(s\) for "import cherrytiny" could not be loaded from http:\/\/127\.0\.0\.1:9\/ .*npx tsx scripts\/pyodidePackages\.ts cherrytiny.*CHERRY_PYODIDE_PACKAGES/,
  );
  expect(existsSync(lockPath)).toBe(true);
});

test('an OpenAI grader-image package that Pyodide lacks fails with the reason and what to use instead', async () => {
  setPythonPackageSource({});
  const g = await createPythonGrader('def grade(sample, item):\n    import deepdiff\n    return 1.0\n', { name: 'dd' });
  const [r] = await g.gradeBatch([sample('x')]);
  g.dispose();
  expect(r.reward).toBeNull();
  expect(r.error).toMatch(
    /module 'deepdiff' is in OpenAI's grader image, but Pyodide has no build of it.*docs\/python-packages\.md\)\. Instead: compare the parsed values/,
  );
});

test('the self-hosting script copies a package with its dependencies from the lock file', async () => {
  const { packageClosure } = await import('../../../scripts/pyodidePackages');
  const lock = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('pyodide/pyodide-lock.json'), 'utf8'));
  const names = packageClosure(lock, ['sklearn']).map((p) => p.name);
  expect(names[names.length - 1]).toBe('scikit-learn');
  for (const dep of lock.packages['scikit-learn'].depends) expect(names).toContain(dep);
  expect(() => packageClosure(lock, ['deepdiff'])).toThrow(/"deepdiff" is not in Pyodide's lock file/);
});

test('the self-hosting script copies from a folder into the output folder, with the lock file', () => {
  const from = mkdtempSync(join(tmpdir(), 'pyodide-full-'));
  const out = mkdtempSync(join(tmpdir(), 'pyodide-out-'));
  const lock = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('pyodide/pyodide-lock.json'), 'utf8'));
  // Stand-in wheel files (this test checks the copying, not the wheels): pandas and what it depends on.
  const needed: string[] = ['pandas', ...lock.packages.pandas.depends];
  expect(needed.length).toBeGreaterThan(1);
  for (const p of Object.keys(lock.packages)) writeFileSync(join(from, lock.packages[p].file_name), `wheel ${p}`);
  const log = execFileSync('npx', ['tsx', 'scripts/pyodidePackages.ts', '--from', from, '--out', out, 'pandas'], { encoding: 'utf8' });
  expect(log).toMatch(/copied pandas-/);
  for (const p of needed) expect(readFileSync(join(out, lock.packages[p].file_name), 'utf8')).toBe(`wheel ${p}`);
  expect(existsSync(join(out, lock.packages.scipy.file_name))).toBe(false);
  expect(existsSync(join(out, 'pyodide-lock.json'))).toBe(true);
});
