// State of the grader's try-it pane: hand-written outputs and the item they are graded against (picked
// from the task's validation items or written as JSON), completions sampled from the loaded model, and
// the layout of the newest grading (which results are hand-written, which sampled). Every person's edit
// (grader, outputs, item) re-grades after DEBOUNCE_MS; the engine drops outcomes older than the newest.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { GradeRequest, GradeResult, Item } from '../../graders/types';
import { DEFAULT_CONFIG } from '../../schema/settings';
import { getTask } from '../../tasks';
import type { SampleForTryResult } from '../../worker/protocol';
import { useEngine } from '../context';
import { useUi } from '../store';
import { tryLines } from '../grader/tryInputs';
import { handRequests, itemText, parseItem, sampledRequests } from './helpers';

/** Quiet time after the last edit before the grader runs again, ms. */
export const DEBOUNCE_MS = 400;
/** Validation items offered in the picker and prompted by "Sample from model". */
export const TRY_ITEMS = 3;
/** Completions per prompt sampled by "Sample from model". */
export const TRY_SAMPLES = 4;

/** The item on first load (the default outputs are arithmetic-style answers to it). */
const DEFAULT_ITEM_JSON = '{ "reference_answer": "42" }';

/** Which results of the newest grading are which: the hand-written lines first, then the sampled completions. */
export interface Shown {
  hand: string[];
  sampled: SampleForTryResult | null;
  results: GradeResult[];
}

export function useTryIt() {
  const engine = useEngine();
  const task = useUi((s) => s.task);
  const dataset = useUi((s) => s.dataset);
  const config = useUi((s) => s.run.config);
  const [outputs, setOutputsState] = useState('42\n41\nThe answer is 42');
  const [itemJson, setItemJsonState] = useState(DEFAULT_ITEM_JSON);
  const [pick, setPick] = useState<number | null>(null);
  const [sampled, setSampled] = useState<SampleForTryResult | null>(null);
  const [sampling, setSampling] = useState(false);
  const [sampleError, setSampleError] = useState<string | null>(null);
  const [shown, setShown] = useState<Shown | null>(null);
  const presses = useRef(0);

  const items: Item[] = useMemo(() => {
    if (dataset !== null && 'data' in dataset) {
      const rows = dataset.data.validation.length > 0 ? dataset.data.validation : dataset.data.train;
      return rows.slice(0, TRY_ITEMS);
    }
    try {
      return getTask(task).items('validation', TRY_ITEMS);
    } catch {
      return [];
    }
  }, [task, dataset]);

  // Another task or dataset: its samples and the picked item no longer apply; its first item is picked
  // (a task's grader reads its own fields, e.g. countdown's numbers and target), unless the person wrote
  // their own item JSON.
  const keep = useRef({ items, custom: false });
  keep.current.custom = pick === null && itemJson !== DEFAULT_ITEM_JSON;
  useEffect(() => {
    if (keep.current.items === items) return; // first render (and React's repeated effects in development)
    keep.current.items = items;
    setSampled(null);
    setSampleError(null);
    if (keep.current.custom) return;
    const first = items[0];
    setPick(first === undefined ? null : 0);
    if (first !== undefined) setItemJsonState(itemText(first));
  }, [items]);

  let itemError: string | null = null;
  let item: Item | null = null;
  try {
    item = parseItem(itemJson);
  } catch (e) {
    itemError = e instanceof Error ? e.message : String(e);
  }

  /** Grades the current hand-written outputs (when the item parses) and `withSamples`, in one call. */
  const gradeNow = async (withSamples: SampleForTryResult | null): Promise<void> => {
    const hand = item === null ? [] : tryLines(outputs);
    const requests: GradeRequest[] = [
      ...(item === null ? [] : handRequests(outputs, item)),
      ...(withSamples === null ? [] : sampledRequests(withSamples)),
    ];
    const results = await engine.tryGrader(requests);
    if (results !== null) setShown({ hand, sampled: withSamples, results });
  };
  /** The newest render's grading (its outputs, item and samples), for the debounce timer. */
  const latest = useRef<() => Promise<void>>(() => gradeNow(sampled));
  latest.current = () => gradeNow(sampled);

  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const cancelPending = (): void => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
  };
  /** Re-grades DEBOUNCE_MS after the last of a burst of edits. */
  const schedule = useCallback((): void => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      void latest.current();
    }, DEBOUNCE_MS);
  }, []);
  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );

  const tryNow = (): void => {
    cancelPending();
    void latest.current();
  };

  const sample = async (): Promise<void> => {
    const cfg = { ...DEFAULT_CONFIG, ...config };
    cancelPending();
    setSampling(true);
    setSampleError(null);
    try {
      const r = await engine.sampleForTry({
        n: TRY_ITEMS,
        samplesPerPrompt: TRY_SAMPLES,
        temperature: cfg.temperature,
        seed: cfg.seed + presses.current++,
        ...(config.max_completion_length === undefined ? {} : { maxNewTokens: config.max_completion_length }),
      });
      setSampled(r);
      await gradeNow(r);
    } catch (e) {
      setSampleError(e instanceof Error ? e.message : String(e));
    } finally {
      setSampling(false);
    }
  };

  return {
    items,
    pick,
    outputs,
    itemJson,
    item,
    itemError,
    sampled,
    sampling,
    sampleError,
    shown,
    setOutputs: (v: string) => {
      setOutputsState(v);
      schedule();
    },
    setItemJson: (v: string) => {
      setItemJsonState(v);
      setPick(null);
      schedule();
    },
    pickItem: (i: number | null) => {
      setPick(i);
      if (i !== null && items[i] !== undefined) setItemJsonState(itemText(items[i]));
      schedule();
    },
    /** Call on a person's edit of the grader. */
    edited: schedule,
    tryNow,
    sample: () => void sample(),
  };
}
