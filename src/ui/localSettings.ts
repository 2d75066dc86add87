// Settings this browser remembers (localStorage): the Hub endpoint, the last model, the judge. Where
// storage is unavailable (private mode, blocked storage) a setting lasts one page view.

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** The stored value of `key`, or `fallback`. */
export function remembered(key: string, fallback: string): string {
  try {
    return storage()?.getItem(key) ?? fallback;
  } catch {
    return fallback;
  }
}

/** Stores `value` under `key` (null removes it). */
export function remember(key: string, value: string | null): void {
  try {
    if (value === null) storage()?.removeItem(key);
    else storage()?.setItem(key, value);
  } catch {
    /* quota or blocked: the value lasts this page view */
  }
}
