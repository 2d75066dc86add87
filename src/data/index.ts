// User datasets: streamed JSONL parsing with per-line validation, and a seeded content-hash split.
export { parseJsonl, rowToItem, DatasetError } from './jsonl';
export type { JsonlOptions, JsonlLineError, JsonlSummary, JsonlResult } from './jsonl';
export { readLines } from './lines';
export type { TextSource, NumberedLine } from './lines';
export { splitItems, canonicalJson, contentUnit } from './split';
export type { SplitOptions } from './split';
export { findJsonSyntaxError, parseJsonText, JsonParseError } from '../util/jsonError';
export type { JsonSyntaxProblem } from '../util/jsonError';
export { loadJsonlDataset } from './dataset';
export type { DatasetOptions, Dataset } from './dataset';
