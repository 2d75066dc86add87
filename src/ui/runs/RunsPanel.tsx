// Saved runs: every run the worker saved in IndexedDB, newest first (`runs-list`, one <li data-run-id>
// per run), with resume / rename / delete / compare / downloads; records that cannot be read are listed
// as skipped, not fatal. Storage used against the browser's quota. "Copy link" puts the page's setup
// (task, hyperparameters, seed, grader) in the URL hash; a link's notice says its grader was not run.
import { useCallback, useEffect, useState } from 'react';
import { Panel } from '../Panel';
import { useEngine } from '../context';
import { useDispatch, useUi, type MetricPoint } from '../store';
import { RewardChart } from '../charts/RewardChart';
import type { ChartRun } from '../charts/series';
import type { CherryStore, RunRecord, SkippedRecord, StorageUse } from '../../storage';
import { getTask } from '../../tasks';
import { RunRow } from './RunRow';
import { buildDownload, saveFile, type DownloadKind } from './downloads';
import { DRAFT_ID, useLinkAndDrafts, usePageStorage } from './usePageStorage';
import { writeShareHash } from '../state';

interface Listing {
  runs: RunRecord[];
  skipped: SkippedRecord[];
  /** Newest checkpoint step per run id (absent: none). */
  checkpoints: Map<string, number>;
  use: StorageUse | null;
}

function bytes(n: number): string {
  return n < 1024 ** 2
    ? `${(n / 1024).toFixed(0)} KB`
    : n < 1024 ** 3
      ? `${(n / 1024 ** 2).toFixed(1)} MB`
      : `${(n / 1024 ** 3).toFixed(1)} GB`;
}

async function list(store: CherryStore): Promise<Listing> {
  const { runs, skipped } = await store.listRuns();
  const checkpoints = new Map<string, number>();
  for (const r of runs) {
    const steps = await store.checkpointSteps(r.id);
    if (steps.length > 0) checkpoints.set(r.id, steps[steps.length - 1]);
  }
  return { runs, skipped, checkpoints, use: await store.storageUse() };
}

async function history(store: CherryStore, runId: string): Promise<MetricPoint[]> {
  return (await store.getMetrics(runId)).metrics;
}

/** Runs drawn together on the compare chart (each gets its own colour). */
const MAX_COMPARED = 4;

export function RunsPanel() {
  const engine = useEngine();
  const dispatch = useDispatch();
  const store = usePageStorage();
  const linkNotice = useLinkAndDrafts(store);
  const runState = useUi((s) => s.run.state);
  const runStep = useUi((s) => s.run.step);
  const modelReady = useUi((s) => s.model.status === 'ready');
  const task = useUi((s) => s.task);
  const runUi = useUi((s) => s.run);
  const grader = useUi((s) => s.grader);
  const controls = useUi((s) => s.controls);
  const [listing, setListing] = useState<Listing | null>(null);
  const [compare, setCompare] = useState<string[]>([]);
  const [compared, setCompared] = useState<ChartRun[]>([]);
  const [notice, setNotice] = useState<string | null>(null);

  const raise = useCallback(
    (e: unknown) => {
      dispatch({ type: 'error/raise', name: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e) });
    },
    [dispatch],
  );
  const refresh = useCallback(() => {
    if (store !== null) list(store).then(setListing, raise);
  }, [store, raise]);
  useEffect(refresh, [refresh, runState, runStep]);

  useEffect(() => {
    if (store === null || compare.length === 0) {
      setCompared([]);
      return;
    }
    let live = true;
    Promise.all(
      compare.map(async (id): Promise<ChartRun> => {
        const run = await store.getRun(id);
        return { id, label: run.name, kind: run.config.algo === 'sft' ? 'sft' : 'rft', points: await history(store, id) };
      }),
    ).then((r) => {
      if (live) setCompared(r);
    }, raise);
    return () => {
      live = false;
    };
  }, [store, compare, raise, runStep]);

  const live = runState === 'running' || runState === 'paused';
  const resumeWhy = live
    ? 'Stop the current run first'
    : !modelReady
      ? 'Wait for the model to load'
      : 'Continue from the newest checkpoint';
  const resume = (run: RunRecord): void => {
    if (store === null) return;
    if (run.data.kind === 'task' && run.data.task !== task) {
      dispatch({ type: 'task/select', task: run.data.task });
      setNotice(
        `Run '${run.name}' trained on '${run.data.task}': that task is now selected and its model loads; press Resume again once it is ready.`,
      );
      return;
    }
    setNotice(null);
    // The page shows what the resumed run trains with: its hyperparameters and its grader.
    dispatch({ type: 'run/config', config: run.config });
    dispatch({
      type: 'grader/edit',
      code: run.graderSource.kind === 'spec' ? `${JSON.stringify(run.graderSource.spec, null, 2)}\n` : run.graderSource.code,
    });
    void engine.resumeRun(run.id, () => history(store, run.id)).then(refresh);
  };
  const act = (p: Promise<unknown>): void => {
    p.then(refresh, raise);
  };
  const download = (run: RunRecord, kind: DownloadKind): void => {
    if (store === null) return;
    const tokenizer = async (): Promise<string | null> => {
      if (run.data.kind !== 'task') return null;
      const r = await fetch(`${import.meta.env.BASE_URL}models/${getTask(run.data.task).model}/tokenizer.json`);
      return r.ok ? r.text() : null;
    };
    buildDownload(store, run, kind, tokenizer, (format) => engine.exportRun(run.id, format)).then(saveFile, raise);
  };
  const copyLink = (): void => {
    const url = writeShareHash({ task, run: runUi, grader, controls });
    navigator.clipboard?.writeText(url).then(
      () => setNotice('Link copied: it holds the task, hyperparameters, seed and grader.'),
      () => setNotice(`Link: ${url}`),
    );
  };

  /** Steps the saved grader draft back or forward (the history survives reloads) and shows it in the editor. */
  const draftStep = (dir: 'undo' | 'redo'): void => {
    if (store === null) return;
    (dir === 'undo' ? store.drafts.undo(DRAFT_ID) : store.drafts.redo(DRAFT_ID)).then((d) => {
      if (d !== null) dispatch({ type: 'grader/edit', code: d.text });
    }, raise);
  };

  const use = listing?.use;
  return (
    <Panel
      title="Saved runs"
      hint="Every run is saved in this browser as it trains; resume one after a reload."
      actions={
        <button type="button" data-testid="share-link" onClick={copyLink}>
          Copy link
        </button>
      }
    >
      {linkNotice ? (
        <p className="notice" role="status" data-testid="share-notice">
          {linkNotice}
        </p>
      ) : null}
      {notice ? (
        <p className="notice" role="status" data-testid="runs-notice">
          {notice}
        </p>
      ) : null}
      <div className="row hint">
        Grader draft (saved as you type, kept across reloads):
        <button type="button" data-testid="draft-undo" disabled={store === null} onClick={() => draftStep('undo')}>
          Undo edit
        </button>
        <button type="button" data-testid="draft-redo" disabled={store === null} onClick={() => draftStep('redo')}>
          Redo edit
        </button>
      </div>
      <p className="hint" data-testid="storage-use">
        {use
          ? `Storage: ${bytes(use.usage)} used of ${bytes(use.quota)} (${(use.fraction * 100).toFixed(1)}%)`
          : 'Storage use: unknown in this browser'}
      </p>
      {listing && listing.skipped.length > 0 ? (
        <p className="notice" role="alert" data-testid="runs-skipped">
          {listing.skipped.length} saved record{listing.skipped.length === 1 ? '' : 's'} could not be read and{' '}
          {listing.skipped.length === 1 ? 'is' : 'are'} skipped:{' '}
          {listing.skipped.map((s) => `${s.store} '${s.key}' (${s.reason})`).join('; ')}
        </p>
      ) : null}
      <ul
        className="runs-list"
        data-testid="runs-list"
        data-count={listing?.runs.length ?? 0}
        style={{ listStyle: 'none', padding: 0, margin: 0, display: 'grid', gap: '0.5rem' }}
      >
        {(listing?.runs ?? []).map((run) => (
          <RunRow
            key={run.id}
            run={run}
            checkpointStep={listing?.checkpoints.get(run.id) ?? null}
            canResume={!live && modelReady}
            resumeWhy={resumeWhy}
            compared={compare.includes(run.id)}
            onResume={() => resume(run)}
            onRename={(name) => {
              if (store) act(store.renameRun(run.id, name));
            }}
            onDelete={() => {
              if (store) {
                setCompare((c) => c.filter((x) => x !== run.id));
                act(store.deleteRun(run.id));
              }
            }}
            onCompare={(on) =>
              setCompare((c) => (on ? [...c.filter((x) => x !== run.id), run.id].slice(-MAX_COMPARED) : c.filter((x) => x !== run.id)))
            }
            onDownload={(kind) => download(run, kind)}
          />
        ))}
      </ul>
      {compared.length > 0 ? (
        <div data-testid="runs-compare">
          <RewardChart runs={compared} />
        </div>
      ) : null}
    </Panel>
  );
}
