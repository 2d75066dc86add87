// Pacing the charts' work on the main thread: a value that changes at most once per interval (the store
// gets a batch of steps every 200 ms during a run; redrawing a dozen recharts charts that often made
// 150–300 ms tasks), whether an element is on screen (charts off screen skip their redraws), and whether
// the page has been idle yet (work that can wait for it). Turns to draw, one chart per task: turns.ts.
import { useEffect, useRef, useState, type RefObject } from 'react';

/**
 * `value`, updated at most once per `ms`: the first value at once, then the latest one at the end of each
 * interval (trailing), so the last change always shows. `now(shown, next)` true: no wait (e.g. the
 * first step of a run, so "Step once" shows its point at once).
 */
export function useThrottled<T>(value: T, ms: number, now?: (shown: T, next: T) => boolean): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const wait = now?.(shown, value) === true ? 0 : Math.max(0, last.current + ms - Date.now());
    const t = setTimeout(() => {
      last.current = Date.now();
      setShown(value);
    }, wait);
    return () => clearTimeout(t);
  }, [value, shown, ms, now]);
  return shown;
}

/**
 * Whether the element is within `margin` pixels of the viewport (true where IntersectionObserver is
 * missing, so nothing stays blank). Starts false: an off-screen chart is not drawn until scrolled near.
 */
export function useInView(ref: RefObject<Element | null>, margin = 300): boolean {
  const [inView, setInView] = useState(typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    const el = ref.current;
    if (el === null || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver(
      (entries) => {
        for (const e of entries) setInView(e.isIntersecting);
      },
      { rootMargin: `${margin}px` },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [ref, margin]);
  return inView;
}

/** `value` while `live`; the last live value while not (an off-screen chart keeps its zoom until scrolled near). */
export function useHeldWhile<T>(value: T, live: boolean): T {
  const held = useRef(value);
  if (live) held.current = value;
  return live ? value : held.current;
}

/**
 * False until the page is first idle after this component mounted (requestIdleCallback, at most
 * `timeoutMs` later; a timer where the browser has no idle callbacks), then true for good.
 */
export function useIdle(timeoutMs = 2000): boolean {
  const [idle, setIdle] = useState(false);
  useEffect(() => {
    if (idle) return;
    if (typeof requestIdleCallback === 'function') {
      const id = requestIdleCallback(() => setIdle(true), { timeout: timeoutMs });
      return () => cancelIdleCallback(id);
    }
    const t = setTimeout(() => setIdle(true), Math.min(timeoutMs, 200));
    return () => clearTimeout(t);
  }, [idle, timeoutMs]);
  return idle;
}
