// The page's side of persistence: the saved-runs database opened once per runs panel (the worker opens
// its own connection and writes the runs), a URL hash applied once at start, and the grader editor's text
// saved as a draft as the person types and restored after a reload (a grader from a link wins over the
// draft, and is only put in the editor: never run before Run or Try).
import { useEffect, useRef, useState } from 'react';
import { CherryStore } from '../../storage';
import { applyShareHash } from '../state';
import { useDispatch, useUi } from '../store';

/** Editor id of the grader draft. */
export const DRAFT_ID = 'editor';
/** Milliseconds of quiet typing before the draft is saved. */
const DRAFT_DEBOUNCE_MS = 300;

/** Opens the database; null until open (or when it cannot: the error goes to the banner). */
export function usePageStorage(): CherryStore | null {
  const dispatch = useDispatch();
  const [store, setStore] = useState<CherryStore | null>(null);
  useEffect(() => {
    let closed = false;
    let opened: CherryStore | null = null;
    CherryStore.open().then(
      (s) => {
        if (closed) s.close();
        else {
          opened = s;
          setStore(s);
        }
      },
      (e: unknown) => {
        dispatch({
          type: 'error/raise',
          name: e instanceof Error ? e.name : 'StorageOpenError',
          message: e instanceof Error ? e.message : String(e),
        });
      },
    );
    return () => {
      closed = true;
      opened?.close();
    };
  }, [dispatch]);
  return store;
}

/**
 * Applies the link's hash once (returns the notice to show, or null), then keeps the grader draft:
 * restored when the store opens (unless the link carried a grader), saved as the text changes.
 */
export function useLinkAndDrafts(store: CherryStore | null): string | null {
  const dispatch = useDispatch();
  const code = useUi((s) => s.grader.code);
  const [notice, setNotice] = useState<string | null>(null);
  const link = useRef<{ grader: boolean } | null>(null);
  const restored = useRef(false);

  useEffect(() => {
    if (link.current !== null) return;
    const applied = applyShareHash(location.hash, dispatch);
    link.current = { grader: applied?.grader ?? false };
    if (applied === null) return;
    const parts = [
      applied.grader
        ? 'Grader loaded from link — review it before running. It runs only when you press Run or Try.'
        : 'Setup loaded from link.',
    ];
    if (applied.errors.length > 0) parts.push(applied.errors.map((e) => e.message).join('; '));
    setNotice(parts.join(' '));
  }, [dispatch]);

  useEffect(() => {
    if (store === null || restored.current) return;
    let live = true;
    const restore = async (): Promise<void> => {
      if (!link.current?.grader) {
        const draft = await store.drafts.get(DRAFT_ID);
        if (live && draft !== null) dispatch({ type: 'grader/edit', code: draft.text });
      }
      restored.current = true;
    };
    restore().catch((e: unknown) =>
      dispatch({
        type: 'error/raise',
        name: 'StorageReadError',
        message: `Reading the saved grader draft failed: ${e instanceof Error ? e.message : String(e)}`,
      }),
    );
    return () => {
      live = false;
    };
  }, [store, dispatch]);

  useEffect(() => {
    if (store === null || !restored.current) return;
    const t = setTimeout(() => {
      store.drafts.save(DRAFT_ID, 'js', code).catch((e: unknown) =>
        dispatch({
          type: 'error/raise',
          name: e instanceof Error ? e.name : 'StorageWriteError',
          message: e instanceof Error ? e.message : String(e),
        }),
      );
    }, DRAFT_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [store, code, dispatch]);

  return notice;
}
