// Each lesson's last measured length in this browser (localStorage), shown in the lessons menu.
import { remember, remembered } from '../localSettings';

const KEY = 'cherry.lessonSeconds';

/** Seconds each lesson last took here, by name. */
export function lessonTimes(): Record<string, number> {
  try {
    const raw: unknown = JSON.parse(remembered(KEY, '{}'));
    if (typeof raw !== 'object' || raw === null) return {};
    return Object.fromEntries(Object.entries(raw).filter((e): e is [string, number] => typeof e[1] === 'number'));
  } catch {
    return {}; // unreadable: no times shown
  }
}

/** Records how long `name` took here. */
export function saveLessonTime(name: string, seconds: number): void {
  remember(KEY, JSON.stringify({ ...lessonTimes(), [name]: seconds })); // storage full or off: the time is not kept
}

/** "1 min 20 s", "45 s". */
export function formatSeconds(s: number): string {
  const r = Math.round(s);
  return r >= 60 ? `${Math.floor(r / 60)} min ${r % 60} s` : `${r} s`;
}
