// Turns to draw: the charts take new data one chart per task, with an animation frame between two.
// Why (measured with a Chromium trace during training, see BENCHMARKS "Page"): a recharts chart draws in
// two tasks — React's render and commit, then at the next animation frame its internal store notifies
// the chart's parts (recharts batches those notifications with requestAnimationFrame), so every chart
// updated before a frame re-renders inside that one frame task. All charts taking a step together made
// main-thread tasks of 150–500 ms; one per frame, a task holds one chart's work.
import { createContext, useContext, useEffect, useState } from 'react';
import { flushSync } from 'react-dom';

/** Runs `next` in a new task once the coming animation frame has run (or after `fallbackMs` where frames do not come: a hidden tab). */
export function afterFrame(next: () => void, fallbackMs = 250): void {
  let done = false;
  const go = (): void => {
    if (done) return;
    done = true;
    setTimeout(next, 0);
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(go);
  setTimeout(go, fallbackMs);
}

/** A queue of drawings: one runs per turn, in the order first asked for. */
export class DrawTurns {
  /** Waiting drawings by who asked; a new ask from the same one replaces its drawing but keeps its place. */
  private readonly waiting = new Map<object, () => void>();
  private busy = false;

  /** @param later schedules the next turn (default: after the next animation frame, in a task of its own). */
  constructor(private readonly later: (next: () => void) => void = afterFrame) {}

  /** Queues `draw` for `who`; only the newest drawing of each asker runs. */
  request(who: object, draw: () => void): void {
    this.waiting.set(who, draw);
    if (!this.busy) this.schedule();
  }

  /** Drops `who`'s waiting drawing (it unmounted). */
  cancel(who: object): void {
    this.waiting.delete(who);
  }

  /** Drawings waiting for a turn. */
  get pending(): number {
    return this.waiting.size;
  }

  private schedule(): void {
    this.busy = true;
    this.later(() => {
      const first = this.waiting.entries().next();
      if (first.done === true) {
        this.busy = false;
        return;
      }
      const [who, draw] = first.value;
      this.waiting.delete(who);
      try {
        draw();
      } finally {
        this.schedule();
      }
    });
  }
}

/** The page's turns (ChartZoom provides them); null: every chart draws at once. */
export const TurnsContext = createContext<DrawTurns | null>(null);

/**
 * `value` as this component should draw it: a new value waits for the component's turn, and the drawing
 * happens inside that turn's task (flushSync). Null until the first turn (draw a placeholder). While
 * `live` is false (e.g. off screen) the last drawn value stays and no turn is asked for. Without
 * TurnsContext above, `value` itself while live.
 */
export function useTurn<T>(value: T, live = true): T | null {
  const turns = useContext(TurnsContext);
  const [me] = useState(() => ({}));
  const [drawn, setDrawn] = useState<{ value: T } | null>(null);
  useEffect(() => {
    if (!live) {
      turns?.cancel(me);
      return;
    } // scrolled away before its turn: nothing to draw
    if (drawn !== null && Object.is(drawn.value, value)) return;
    if (turns === null) {
      setDrawn({ value });
      return;
    }
    turns.request(me, () => flushSync(() => setDrawn({ value })));
  }, [turns, me, live, value, drawn]);
  useEffect(() => () => turns?.cancel(me), [turns, me]);
  if (turns === null && live) return value;
  return drawn === null ? null : drawn.value;
}
