// Writes the built-in models' tokenizer.json and tokenizer_config.json into a folder.
// Usage: npx tsx scripts/makeTokenizer.ts public/models/cherry-tiny
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCherryTokenizer, buildCherryTokenizerConfig, loadTokenizer } from '../src/tokenizer';

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: npx tsx scripts/makeTokenizer.ts <model folder>');
    process.exit(2);
  }
  const json = buildCherryTokenizer();
  const config = buildCherryTokenizerConfig();
  // Load it back through the normal path before writing, so a broken file is never written.
  const tok = await loadTokenizer(json, 'built-in tokenizer', config);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(json, null, 2) + '\n');
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(config, null, 2) + '\n');
  console.log(
    `wrote ${join(dir, 'tokenizer.json')} (vocab ${tok.vocabSize}, bos ${tok.bosId}, eos ${tok.eosIds.join(',')}, pad ${tok.padId})`,
  );
}

void main();
