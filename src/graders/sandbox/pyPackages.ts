// Where Python graders get packages beyond the standard library. Packages that Pyodide distributes
// (numpy, scipy, sympy, pandas, scikit-learn, nltk, jsonschema, pydantic, pyyaml, ...) load on demand,
// detected from the grader's imports (pyodide.loadPackagesFromImports), before the sandbox closes the
// network. They come from the package source set here: by default Pyodide's CDN for the installed
// version (cached in Node under cacheDir; in the browser by the HTTP cache), or a folder / URL that holds
// a copy (scripts/pyodidePackages.ts copies them next to the app for fully offline use). `rapidfuzz`,
// which Pyodide lacks, is Cherry's own port (pyRapidfuzz.ts).

/** Where packages come from. Every field optional; see DEFAULT_* for what an unset field means. */
export interface PythonPackageSource {
  /**
   * Base URL (browser, Node) or folder (Node) of the wheels. Unset: the Pyodide CDN for the installed
   * version (Node), or the app's own /pyodide/ folder when scripts/pyodidePackages.ts filled it, else the CDN (browser).
   */
  packageBaseUrl?: string;
  /** The lock file listing the packages: a URL in the browser, a file path in Node. Unset: the one of the installed Pyodide. */
  lockFileURL?: string;
  /** Node only: folder where downloaded wheels are cached (unset: ~/.cache/cherry/pyodide-<version>). */
  cacheDir?: string;
}

let source: PythonPackageSource = {};

/** Sets where Python graders load packages from (the page's settings, `CHERRY_PYODIDE_PACKAGES` in the CLI). */
export function setPythonPackageSource(s: PythonPackageSource): void {
  source = { ...s };
}

export function pythonPackageSource(): PythonPackageSource {
  return { ...source };
}

/** Pyodide's CDN folder for a version (the same files scripts/pyodidePackages.ts copies). */
export function pyodideCdnUrl(version: string): string {
  return `https://cdn.jsdelivr.net/pyodide/v${version}/full/`;
}

/**
 * Modules of OpenAI's grader image that no Pyodide build provides, with what to do instead; importing one
 * fails with this message instead of a bare ModuleNotFoundError (docs/python-packages.md).
 */
export const NOT_IN_PYODIDE: Record<string, string> = {
  rouge_score: 'use a text_similarity grader with evaluation_metric "rouge_1" … "rouge_l" (the same scores), or compute ROUGE in Python',
  deepdiff: 'compare the parsed values directly (==, or a small recursive diff)',
  sqlparse: 'parse with re, or compare normalized SQL text',
  rdkit: 'no browser build exists; grade molecules outside Cherry',
  skbio: 'no browser build exists; use numpy/scipy for the statistics you need',
  ast_grep_py: "use Python's ast module",
  sacrebleu: 'use a text_similarity grader with evaluation_metric "bleu" (sacrebleu\'s sentence BLEU)',
};

/** The message for a package that could not be loaded; names it and how to make it available. */
export function packageLoadMessage(grader: string, modules: string[], where: string, detail: string): string {
  const list = modules.join(', ');
  return (
    `grader '${grader}': the Python package(s) for "import ${list}" could not be loaded from ${where} (${detail}). ` +
    `To make them available: run "npx tsx scripts/pyodidePackages.ts ${list}" while online to copy them next to the app ` +
    '(offline use), or point the Python package source at a folder or mirror that has them ' +
    '(CHERRY_PYODIDE_PACKAGES=<folder or URL> for the CLI), or run the grader once with network access (the packages are then cached)'
  );
}
