// A run's metrics as CSV (one row per step, one column per metric, RFC 4180 quoting) and as JSON, and its
// samples as JSONL (one sample per line), for download from the UI and for `cherry` output files.
import { flattenStepMetrics, type SampleRecord, type StepMetrics } from '../schema/metrics';

/** Quotes a CSV cell when it holds a comma, a quote or a line break (RFC 4180). */
export function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Metrics as CSV (flat: `reward/<grader>`, `eval_reward/<class>` columns): `step` first, then every other key in the order it first appears across the records.
 * A metric a step does not have, or a null, is an empty cell. Lines end with "\n", the last one included.
 */
export function metricsToCsv(steps: readonly StepMetrics[]): string {
  const records = steps.map(flattenStepMetrics);
  const cols: string[] = ['step'];
  const seen = new Set(cols);
  for (const r of records)
    for (const k of Object.keys(r))
      if (!seen.has(k)) {
        seen.add(k);
        cols.push(k);
      }
  const lines = [cols.map(csvCell).join(',')];
  for (const r of records) {
    lines.push(
      cols
        .map((c) => {
          const v = r[c];
          return v === null || v === undefined ? '' : String(v);
        })
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}

/** What a metrics JSON file says about its run. */
export interface MetricsJsonMeta {
  /** Run name. */
  run: string;
  /** Anything else worth keeping beside the numbers (config, task, seed). */
  [key: string]: unknown;
}

/** Metrics as one JSON document: `{...meta, "metrics": [flat records]}`, 2-space indented, ending in "\n". */
export function metricsToJson(steps: readonly StepMetrics[], meta: MetricsJsonMeta): string {
  return JSON.stringify({ ...meta, metrics: steps.map(flattenStepMetrics) }, null, 2) + '\n';
}

/** Samples as JSONL: one JSON object per line with the SampleRecord fields, ending in "\n" (empty: ""). */
export function samplesToJsonl(samples: readonly SampleRecord[]): string {
  return samples.map((s) => JSON.stringify(s)).join('\n') + (samples.length ? '\n' : '');
}
