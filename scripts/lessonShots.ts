// Screenshots of each guided lesson's end state, for the README: runs the lessons at their real length
// (scripts/lessonDriver.ts) and saves docs/lessons/<name>.png.
// `npx vite build --logLevel warn && npx tsx scripts/lessonShots.ts [lesson…]`
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { LESSONS } from '../src/lessons';
import { driveLessons, lessonArgs, type LessonRun } from './lessonDriver';

/** Saves the lessons panel (menu, text, chart, verdict) as docs/lessons/<name>.png. */
export async function saveShot(page: Page, run: LessonRun): Promise<void> {
  mkdirSync('docs/lessons', { recursive: true });
  await page.mouse.move(1279, 799); // no chart tooltip under the pointer left where Run lesson was
  await page.locator('.lessons-panel').screenshot({ path: `docs/lessons/${run.name}.png` });
}

if (process.argv[1]?.endsWith('lessonShots.ts')) {
  const runs = await driveLessons(lessonArgs(LESSONS.map((l) => l.name)), saveShot);
  if (runs.some((r) => !r.ok)) process.exitCode = 1;
}
