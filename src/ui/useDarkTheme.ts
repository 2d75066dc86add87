// Whether the page is dark now: the user's choice, or the system's when the choice is "system".
import { useSyncExternalStore } from 'react';
import { useUi } from './store';

const QUERY = '(prefers-color-scheme: dark)';

function subscribe(onChange: () => void): () => void {
  const mq = matchMedia(QUERY);
  mq.addEventListener('change', onChange);
  return () => mq.removeEventListener('change', onChange);
}

export function useDarkTheme(): boolean {
  const theme = useUi((s) => s.theme);
  const systemDark = useSyncExternalStore(subscribe, () => matchMedia(QUERY).matches);
  return theme === 'dark' || (theme === 'system' && systemDark);
}
