// A user dataset ready for a run: parsed (streamed) from JSONL, then split by content hash.
import type { Item } from '../graders/types';
import { parseJsonl, DatasetError } from './jsonl';
import type { JsonlLineError, JsonlSummary } from './jsonl';
import type { TextSource } from './lines';
import { splitItems } from './split';

/** Options of loadJsonlDataset. */
export interface DatasetOptions {
  /** The file name used in messages. */
  source: string;
  /** Fraction of rows held out for validation (default 0.1). */
  validationFraction?: number;
  /** Seed of the content-hash split (default 0). */
  seed?: number;
  /** Keep at most this many line errors (default 200). */
  maxErrors?: number;
}

export interface Dataset {
  train: Item[];
  validation: Item[];
  errors: JsonlLineError[];
  summary: JsonlSummary;
}

/**
 * Parses a JSONL dataset and splits it. Throws DatasetError when the file is empty or when no row
 * could be used (the message quotes the first few line errors).
 */
export async function loadJsonlDataset(input: TextSource, opts: DatasetOptions): Promise<Dataset> {
  const { items, errors, summary } = await parseJsonl(input, { source: opts.source, maxErrors: opts.maxErrors });
  if (items.length === 0) {
    const first = errors
      .slice(0, 3)
      .map((e) => `line ${e.line}: ${e.message}`)
      .join('; ');
    throw new DatasetError(
      `${opts.source}: none of the ${summary.lines} rows could be used (${first}${summary.rejected > 3 ? '; ...' : ''}).`,
    );
  }
  const { train, validation } = splitItems(items, { validationFraction: opts.validationFraction, seed: opts.seed });
  return { train, validation, errors, summary };
}
