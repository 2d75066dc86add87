// A tiny argv parser for the `cherry` CLI: `--flag value`, `--flag=value`, bare `--switch` (true).

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface Args {
  flags: Map<string, string | true>;
  positional: string[];
}

export function parseArgs(argv: string[]): Args {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    if (eq > 0) {
      flags.set(a.slice(2, eq), a.slice(eq + 1));
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      flags.set(a.slice(2), next);
      i++;
    } else flags.set(a.slice(2), true);
  }
  return { flags, positional };
}

export function str(args: Args, name: string): string | undefined;
export function str(args: Args, name: string, fallback: string): string;
export function str(args: Args, name: string, fallback?: string): string | undefined {
  const v = args.flags.get(name);
  if (v === undefined) return fallback;
  if (v === true) throw new UsageError(`--${name} needs a value`);
  return v;
}

export function num(args: Args, name: string): number | undefined;
export function num(args: Args, name: string, fallback: number): number;
export function num(args: Args, name: string, fallback?: number): number | undefined {
  const v = str(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got '${v}'`);
  return n;
}

export function bool(args: Args, name: string): boolean {
  return args.flags.get(name) === true || args.flags.get(name) === 'true';
}

/** Comma-separated integers, e.g. `--ids 1,2,3`. */
export function ints(args: Args, name: string): number[] | undefined {
  const v = str(args, name);
  if (v === undefined) return undefined;
  const out = v.split(',').map((s) => Number(s.trim()));
  if (out.some((n) => !Number.isInteger(n))) throw new UsageError(`--${name} must be comma-separated integers, got '${v}'`);
  return out;
}
