// DrawTurns (src/ui/charts/turns.ts): one drawing per turn, in the order first asked for; a new ask from
// the same chart replaces its waiting drawing and keeps its place; cancelled drawings never run. The
// scheduler is injected, so each turn is stepped by hand here.
import { test, expect } from 'vitest';
import { afterFrame, DrawTurns } from '../../src/ui/charts/turns';

/** A hand-stepped scheduler: `turn()` runs the one scheduled callback. */
function manual(): { later: (next: () => void) => void; turn: () => boolean } {
  const queue: (() => void)[] = [];
  return {
    later: (next) => {
      queue.push(next);
    },
    turn: () => {
      const next = queue.shift();
      if (next === undefined) return false;
      next();
      return true;
    },
  };
}

test('one drawing per turn, first asked first drawn; nothing runs before its turn', () => {
  const s = manual();
  const turns = new DrawTurns(s.later);
  const log: string[] = [];
  const a = {},
    b = {},
    c = {};
  turns.request(a, () => log.push('a1'));
  turns.request(b, () => log.push('b1'));
  turns.request(c, () => log.push('c1'));
  expect(log).toEqual([]);
  expect(turns.pending).toBe(3);
  s.turn();
  expect(log).toEqual(['a1']);
  s.turn();
  expect(log).toEqual(['a1', 'b1']);
  s.turn();
  expect(log).toEqual(['a1', 'b1', 'c1']);
  expect(turns.pending).toBe(0);
  // the queue is empty: the next turn finds nothing and stops asking for turns
  expect(s.turn()).toBe(true);
  expect(s.turn()).toBe(false);
});

test('a newer ask replaces the waiting drawing and keeps its place; cancel drops it', () => {
  const s = manual();
  const turns = new DrawTurns(s.later);
  const log: string[] = [];
  const a = {},
    b = {},
    c = {};
  turns.request(a, () => log.push('a1'));
  turns.request(b, () => log.push('b1'));
  turns.request(c, () => log.push('c1'));
  turns.request(a, () => log.push('a2')); // a's data changed before its turn: only the newest is drawn, still first
  turns.cancel(b); // b unmounted
  while (s.turn());
  expect(log).toEqual(['a2', 'c1']);
  // after going idle, a new ask schedules a turn again
  turns.request(b, () => log.push('b2'));
  expect(log).toEqual(['a2', 'c1']);
  while (s.turn());
  expect(log).toEqual(['a2', 'c1', 'b2']);
});

test('a drawing that throws does not stop the turns of the others', () => {
  const s = manual();
  const turns = new DrawTurns(s.later);
  const log: string[] = [];
  turns.request({}, () => {
    throw new Error('boom');
  });
  turns.request({}, () => log.push('next'));
  expect(() => s.turn()).toThrow('boom');
  while (s.turn());
  expect(log).toEqual(['next']);
});

test('afterFrame without animation frames (Node) still runs the callback, once, in a later task', async () => {
  let runs = 0;
  afterFrame(() => {
    runs++;
  }, 5);
  expect(runs).toBe(0);
  await new Promise((r) => setTimeout(r, 30));
  expect(runs).toBe(1);
});
