// Export and sharing: URL-hash state, metrics/samples files, and "graduate to production" (OpenAI RFT
// grader, dataset and job spec; a TRL GRPOTrainer script). Framework-free: runs in Node, a page or a worker.
export { encodeState, decodeState, checkGraderSource, STATE_FIELDS, DEFAULT_STATE } from './urlState';
export type { ShareState, StateField, StateFieldError, DecodeOptions, FieldKind } from './urlState';
export { compressText, decompressText, toBase64Url, fromBase64Url, Base64UrlError } from './base64url';
export { metricsToCsv, metricsToJson, samplesToJsonl, csvCell } from './tables';
export type { MetricsJsonMeta } from './tables';
export {
  graderToOpenAI,
  tryGraderToOpenAI,
  itemToRftRow,
  itemsToRftJsonl,
  openAIJobSpec,
  GraderExportError,
  RftDatasetError,
  refuseExport,
} from './openai';
export type { JobSpecOptions } from './openai';
export { graderToPython } from './pyReward';
export { trlScript, trlNotes, grpoConfigArgs, TrlExportError } from './trlScript';
export type { TrlScriptOptions } from './trlScript';
export { HYPERPARAM_MAP, hyperparamTableMarkdown } from './hyperparams';
export type { HyperparamMapping } from './hyperparams';
export { checkpointFiles, zipCheckpoint, unzipCheckpoint, readCheckpointFiles, CheckpointImportError } from './checkpoint';
export type { CheckpointExport, FileMap, ImportedCheckpoint } from './checkpoint';
