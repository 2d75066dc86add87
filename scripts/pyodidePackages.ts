// Self-hosting Pyodide packages for Python graders: copies the wheels of the named packages (and of
// everything they depend on, from the lock file) next to the app, so graders importing them work offline.
//   npx tsx scripts/pyodidePackages.ts numpy scipy            # from Pyodide's CDN into dist/pyodide/
//   npx tsx scripts/pyodidePackages.ts --from ~/pyodide-full --out public/pyodide numpy
// --from: a folder or URL holding Pyodide's distribution for the installed version (default: its CDN).
// --out: where the app serves /pyodide/ from (default dist/pyodide, after `vite build`).
// The CLI finds the copy with CHERRY_PYODIDE_PACKAGES=<out folder>; the page uses /pyodide/ by default.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pyodideCdnUrl } from '../src/graders/sandbox/pyPackages';
import pyodidePackage from 'pyodide/package.json';

interface LockPackage {
  name: string;
  file_name: string;
  depends: string[];
  imports: string[];
}
interface Lock {
  packages: Record<string, LockPackage>;
}

/** The packages to copy: the named ones (by package or import name) and their dependencies, in order. */
export function packageClosure(lock: Lock, names: string[]): LockPackage[] {
  const byImport = new Map<string, string>();
  for (const [key, p] of Object.entries(lock.packages)) for (const i of p.imports) byImport.set(i, key);
  const out: LockPackage[] = [];
  const seen = new Set<string>();
  const visit = (name: string, from: string): void => {
    const key = lock.packages[name] ? name : (byImport.get(name) ?? lock.packages[name.toLowerCase()]?.name);
    if (key === undefined || !lock.packages[key]) {
      throw new Error(`"${name}"${from} is not in Pyodide's lock file: Pyodide does not distribute it (see docs/python-packages.md)`);
    }
    if (seen.has(key)) return;
    seen.add(key);
    for (const d of lock.packages[key].depends) visit(d, ` (needed by ${key})`);
    out.push(lock.packages[key]);
  };
  for (const n of names) visit(n, '');
  return out;
}

async function main(argv: string[]): Promise<void> {
  const req = createRequire(import.meta.url);
  const version = pyodidePackage.version;
  const lockPath = req.resolve('pyodide/pyodide-lock.json');
  let from = pyodideCdnUrl(version);
  let out = 'dist/pyodide';
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--from') from = argv[++i];
    else if (argv[i] === '--out') out = argv[++i];
    else names.push(argv[i]);
  }
  if (names.length === 0) throw new Error('name the packages to copy, e.g. npx tsx scripts/pyodidePackages.ts numpy');
  const lock: Lock = JSON.parse(readFileSync(lockPath, 'utf8'));
  mkdirSync(out, { recursive: true });
  copyFileSync(lockPath, join(out, 'pyodide-lock.json'));
  for (const p of packageClosure(lock, names)) {
    const dest = join(out, p.file_name);
    if (existsSync(dest)) {
      console.log(`have ${p.file_name}`);
      continue;
    }
    if (/^https?:\/\//.test(from)) {
      const res = await fetch(new URL(p.file_name, from.endsWith('/') ? from : `${from}/`));
      if (!res.ok) throw new Error(`${p.file_name}: HTTP ${res.status} from ${from}`);
      writeFileSync(dest, new Uint8Array(await res.arrayBuffer()));
    } else copyFileSync(join(from, p.file_name), dest);
    console.log(`copied ${p.file_name}`);
  }
  // The page looks for this file to prefer its own copy over the CDN.
  const listPath = join(out, 'cherry-packages.json');
  const listed: string[] = existsSync(listPath) ? JSON.parse(readFileSync(listPath, 'utf8')) : [];
  writeFileSync(
    listPath,
    JSON.stringify([...new Set([...listed, ...packageClosure(lock, names).map((p) => p.name)])].sort(), null, 1) + '\n',
  );
  console.log(`done: ${out} now holds the packages; the CLI uses it with CHERRY_PYODIDE_PACKAGES=${out}`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(`pyodidePackages: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  });
}
