// The files a saved run downloads as: metrics (CSV, JSON), samples (JSONL), its newest checkpoint as
// Hugging Face files in one zip (a LoRA run's: its adapter as PEFT files, or merged into the base model,
// both built by the worker), and "graduate to production" files (OpenAI grader JSON, RFT dataset
// JSONL, fine-tuning job spec, TRL GRPOTrainer script). Each builder reads the store and returns the
// file; what cannot be exported (a JS grader to OpenAI, a run without a checkpoint) throws a named error
// whose message says why and what to do.
import type { CherryStore, RunRecord } from '../../storage';
import {
  checkpointFiles,
  graderToOpenAI,
  itemsToRftJsonl,
  metricsToCsv,
  metricsToJson,
  openAIJobSpec,
  samplesToJsonl,
  trlScript,
  zipCheckpoint,
  type FileMap,
} from '../../export';
import { getTask } from '../../tasks';
import type { SampleRecord } from '../../schema/metrics';

/** One file to hand to the browser. */
export interface DownloadFile {
  name: string;
  mime: string;
  data: string | Uint8Array;
}

/** A download that cannot be built for this run (no checkpoint, dataset not in the page). */
export class DownloadUnavailableError extends Error {
  override name = 'DownloadUnavailableError';
}

/** The kinds of download the runs list offers, with their button labels. */
export const DOWNLOADS = [
  { kind: 'metrics-csv', label: 'metrics CSV' },
  { kind: 'metrics-json', label: 'metrics JSON' },
  { kind: 'samples-jsonl', label: 'samples JSONL' },
  { kind: 'checkpoint-zip', label: 'checkpoint (HF zip)' },
  { kind: 'adapter-zip', label: 'LoRA adapter (PEFT zip)' },
  { kind: 'merged-zip', label: 'merged model (HF zip)' },
  { kind: 'openai-grader', label: 'OpenAI grader' },
  { kind: 'openai-dataset', label: 'OpenAI dataset' },
  { kind: 'openai-job', label: 'OpenAI job spec' },
  { kind: 'trl-script', label: 'TRL script' },
] as const;
export type DownloadKind = (typeof DOWNLOADS)[number]['kind'];

/** File-name stem from the run name ("arithmetic · 14:03:22" → "arithmetic-14-03-22"). */
export function fileStem(run: RunRecord): string {
  return run.name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || run.id;
}

function taskOf(run: RunRecord) {
  if (run.data.kind !== 'task')
    throw new DownloadUnavailableError(
      `Run '${run.name}' trained on the dataset '${run.data.name}', which is not saved with the run: export the dataset from the file you uploaded.`,
    );
  return getTask(run.data.task);
}

const TRAIN_ROWS = 1000;

/** A LoRA run's newest checkpoint as files, built by the worker: PEFT adapter ('peft') or merged into the loaded base model ('merged'). */
export type ExportLora = (format: 'peft' | 'merged') => Promise<FileMap>;

/** Builds one download of a run (`exportLora` builds a LoRA run's adapter and merged files). */
export async function buildDownload(
  store: CherryStore,
  run: RunRecord,
  kind: DownloadKind,
  tokenizerJson: () => Promise<string | null>,
  exportLora?: ExportLora,
): Promise<DownloadFile> {
  const stem = fileStem(run);
  const loraZip = async (format: 'peft' | 'merged', suffix: string): Promise<DownloadFile> => {
    const cp = await store.latestCheckpoint(run.id);
    if (cp === null)
      throw new DownloadUnavailableError(
        `Run '${run.name}' has no checkpoint yet (one is taken every checkpoint_interval steps and on pause).`,
      );
    if (cp.lora === undefined)
      throw new DownloadUnavailableError(
        `Run '${run.name}' fine-tuned every weight (lora_rank 0): it has no adapter; download "checkpoint (HF zip)".`,
      );
    if (exportLora === undefined)
      throw new DownloadUnavailableError('The train worker is not running, so the adapter cannot be exported; reload the page.');
    const files = await exportLora(format);
    const tok = format === 'merged' ? await tokenizerJson() : null;
    if (tok !== null) files['tokenizer.json'] = new TextEncoder().encode(tok);
    const folder = `${stem}-step${cp.step}-${suffix}`;
    return { name: `${folder}.zip`, mime: 'application/zip', data: zipCheckpoint(files, folder) };
  };
  switch (kind) {
    case 'metrics-csv':
      return { name: `${stem}-metrics.csv`, mime: 'text/csv', data: metricsToCsv((await store.getMetrics(run.id)).metrics) };
    case 'metrics-json':
      return {
        name: `${stem}-metrics.json`,
        mime: 'application/json',
        data: metricsToJson((await store.getMetrics(run.id)).metrics, {
          run: run.name,
          id: run.id,
          seed: run.seed,
          data: run.data,
          config: run.config,
        }),
      };
    case 'samples-jsonl': {
      const all: SampleRecord[] = [];
      for (const step of await store.sampleSteps(run.id)) all.push(...((await store.getSamples(run.id, step)) ?? []));
      return { name: `${stem}-samples.jsonl`, mime: 'application/x-ndjson', data: samplesToJsonl(all) };
    }
    case 'checkpoint-zip': {
      const cp = await store.latestCheckpoint(run.id);
      if (cp === null)
        throw new DownloadUnavailableError(
          `Run '${run.name}' has no checkpoint yet (one is taken every checkpoint_interval steps and on pause).`,
        );
      if (cp.lora !== undefined)
        throw new DownloadUnavailableError(
          `Run '${run.name}' trained a LoRA adapter: its checkpoint holds the adapter, not a model; download "LoRA adapter (PEFT zip)" or "merged model (HF zip)".`,
        );
      const files = checkpointFiles(
        { weights: cp.weights, modelConfig: cp.modelConfig, step: cp.step, config: cp.config },
        await tokenizerJson(),
      );
      return { name: `${stem}-step${cp.step}.zip`, mime: 'application/zip', data: zipCheckpoint(files, `${stem}-step${cp.step}`) };
    }
    case 'adapter-zip':
      return loraZip('peft', 'lora');
    case 'merged-zip':
      return loraZip('merged', 'merged');
    case 'openai-grader':
      return {
        name: `${stem}-grader.json`,
        mime: 'application/json',
        data: JSON.stringify(graderToOpenAI(run.graderSource), null, 2) + '\n',
      };
    case 'openai-dataset':
      return { name: `${stem}-train.jsonl`, mime: 'application/x-ndjson', data: itemsToRftJsonl(taskOf(run).items('train', TRAIN_ROWS)) };
    case 'openai-job': {
      const spec = openAIJobSpec(graderToOpenAI(run.graderSource), run.config, {
        model: 'o4-mini-2025-04-16',
        trainingFile: 'file-TRAIN_FILE_ID',
        trainRows: taskOf(run).items('train', TRAIN_ROWS).length,
        suffix: 'cherry',
      });
      return { name: `${stem}-job.json`, mime: 'application/json', data: JSON.stringify(spec, null, 2) + '\n' };
    }
    case 'trl-script': {
      const task = taskOf(run);
      const { script } = trlScript({
        config: run.config,
        grader: run.graderSource,
        model: `./${task.model}`,
        trainFile: `${stem}-train.jsonl`,
        outputDir: `${stem}-trl`,
        title: run.name,
      });
      return { name: `${stem}-trl.py`, mime: 'text/x-python', data: script };
    }
  }
}

/** Hands a file to the browser as a download. */
export function saveFile(f: DownloadFile): void {
  const part: BlobPart = typeof f.data === 'string' ? f.data : new Uint8Array(f.data); // a copy backed by a plain ArrayBuffer
  const url = URL.createObjectURL(new Blob([part], { type: f.mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = f.name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
