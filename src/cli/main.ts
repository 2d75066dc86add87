// `cherry` — the headless CLI. Each command lives in src/cli/commands/<name>.ts and exports
// `help` (one line) and `run(args)`. With --json, the last line of stdout is one JSON object.
import { readdirSync } from 'node:fs';
import { parseArgs, UsageError, type Args } from './args';

export interface Command {
  help: string;
  run(args: Args): Promise<void>;
}

const commandsDir = new URL('./commands/', import.meta.url);

function listCommands(): string[] {
  return readdirSync(commandsDir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const names = listCommands();
  if (!name || name === 'help' || name === '--help') {
    const lines = await Promise.all(
      names.map(async (n) => `  ${n.padEnd(10)} ${((await import(new URL(`${n}.ts`, commandsDir).href)) as Command).help}`),
    );
    console.log(`usage: npm run cherry -- <command> [flags]\n\ncommands:\n${lines.join('\n')}`);
    return 0;
  }
  if (!names.includes(name)) {
    console.error(`cherry: unknown command '${name}'. Commands: ${names.join(', ')}`);
    return 2;
  }
  const cmd = (await import(new URL(`${name}.ts`, commandsDir).href)) as Command;
  try {
    await cmd.run(parseArgs(rest));
    return 0;
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    console.error(`cherry ${name}: ${err.name === 'Error' ? '' : err.name + ': '}${err.message}`);
    return err instanceof UsageError ? 2 : 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
