// The item hand-written outputs are graded against: pick one of the task's validation items (its prompt
// and reference fields fill the JSON box) or write the item JSON yourself (a custom dataset row).
import type { Item } from '../../graders/types';
import { itemLabel } from './helpers';

export interface TryItemsProps {
  items: Item[];
  /** Index of the picked item; null = custom JSON. */
  pick: number | null;
  onPick(i: number | null): void;
  json: string;
  onJson(text: string): void;
  /** Why the JSON box cannot be used, or null. */
  error: string | null;
}

export function TryItems({ items, pick, onPick, json, onJson, error }: TryItemsProps) {
  return (
    <>
      <label>
        Graded against item
        <select
          data-testid="grader-try-item"
          value={pick === null ? 'custom' : String(pick)}
          onChange={(e) => onPick(e.target.value === 'custom' ? null : Number(e.target.value))}
        >
          <option value="custom">Custom item (JSON below)</option>
          {items.map((it, i) => (
            <option key={i} value={String(i)}>
              {itemLabel(it, i)}
            </option>
          ))}
        </select>
      </label>
      <label>
        item (JSON: the fields the grader reads as item.*)
        <textarea
          data-testid="grader-try-item-json"
          rows={Math.min(8, Math.max(2, json.split('\n').length))}
          value={json}
          spellCheck={false}
          onChange={(e) => onJson(e.target.value)}
        />
      </label>
      {error === null ? null : (
        <p className="error-text" role="alert" data-testid="grader-try-item-error">
          {error}
        </p>
      )}
    </>
  );
}
