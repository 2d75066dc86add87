// Pacing the charts' work on the main thread: a value that changes at most once per interval (the store
// gets a batch of steps every 200 ms during a run; redrawing a dozen recharts charts that often made
// 150–300 ms tasks), and whether an element is on screen (charts off screen skip their redraws).
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
    const t = setTimeout(() => { last.current = Date.now(); setShown(value); }, wait);
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
    const io = new IntersectionObserver((entries) => { for (const e of entries) setInView(e.isIntersecting); }, { rootMargin: `${margin}px` });
    io.observe(el);
    return () => io.disconnect();
  }, [ref, margin]);
  return inView;
}

/** `value` while `live`; the last live value while not (an off-screen chart keeps its drawing). */
export function useHeldWhile<T>(value: T, live: boolean): T {
  const held = useRef(value);
  if (live) held.current = value;
  return live ? value : held.current;
}

/**
 * False until `ms` after `on` first became true, then true for good. Charts that would all draw for the
 * first time in one task (recharts' first mount is the costly part) take turns: one task each.
 */
export function useTrueAfter(on: boolean, ms: number): boolean {
  const [done, setDone] = useState(false);
  useEffect(() => {
    if (!on || done) return;
    const t = setTimeout(() => setDone(true), ms);
    return () => clearTimeout(t);
  }, [on, done, ms]);
  return done;
}
