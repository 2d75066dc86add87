// Grader drafts: the text in a grader editor, saved as the user types, with undo and redo stacks that
// survive a reload. One record per editor id. Consecutive saves of the same text add no undo entry.
import type { IDBPDatabase } from 'idb';
import type { GraderSource } from '../graders/types';
import type { CherryDB, GraderDraft } from './schema';

type Write = <T>(op: string, id: string | null, fn: () => Promise<T>) => Promise<T>;

function isDraft(v: unknown): v is GraderDraft {
  return (
    typeof v === 'object' &&
    v !== null &&
    'id' in v &&
    'text' in v &&
    typeof v.text === 'string' &&
    'undo' in v &&
    Array.isArray(v.undo) &&
    'redo' in v &&
    Array.isArray(v.redo) &&
    'kind' in v &&
    typeof v.kind === 'string'
  );
}

export class GraderDrafts {
  constructor(
    private readonly db: IDBPDatabase<CherryDB>,
    private readonly undoLimit: number,
    private readonly write: Write,
  ) {}

  /** The draft, or null when there is none (or the stored one is damaged: it is then replaced on the next save). */
  async get(id: string): Promise<GraderDraft | null> {
    const v: unknown = await this.db.get('graders', id);
    return isDraft(v) ? v : null;
  }

  /** Saves the editor's text; the previous text becomes an undo step and the redo stack is cleared. */
  save(id: string, kind: GraderSource['kind'], text: string): Promise<GraderDraft> {
    return this.change(id, 'the grader draft', (d) => {
      if (!d) return { id, kind, text, undo: [], redo: [], updatedAt: Date.now() };
      if (d.text === text && d.kind === kind) return d;
      const undo = [...d.undo, d.text].slice(-this.undoLimit);
      return { id, kind, text, undo, redo: [], updatedAt: Date.now() };
    });
  }

  /** Steps back one edit; null when there is nothing to undo. */
  async undo(id: string): Promise<GraderDraft | null> {
    const d = await this.change(id, 'the grader undo', (d) => {
      if (!d || d.undo.length === 0) return d;
      return { ...d, text: d.undo[d.undo.length - 1], undo: d.undo.slice(0, -1), redo: [...d.redo, d.text], updatedAt: Date.now() };
    });
    return d;
  }

  /** Re-applies the last undone edit; the draft unchanged when there is nothing to redo. */
  redo(id: string): Promise<GraderDraft | null> {
    return this.change(id, 'the grader redo', (d) => {
      if (!d || d.redo.length === 0) return d;
      return { ...d, text: d.redo[d.redo.length - 1], redo: d.redo.slice(0, -1), undo: [...d.undo, d.text], updatedAt: Date.now() };
    });
  }

  delete(id: string): Promise<void> {
    return this.write('the grader draft deletion', id, () => this.db.delete('graders', id));
  }

  private change<T extends GraderDraft | null>(id: string, op: string, f: (d: GraderDraft | null) => T): Promise<T> {
    return this.write(op, id, async () => {
      const tx = this.db.transaction('graders', 'readwrite');
      const v: unknown = await tx.store.get(id);
      const before = isDraft(v) ? v : null;
      const after = f(before);
      if (after && after !== before) await tx.store.put(after);
      await tx.done;
      return after;
    });
  }
}
