// How long each guided lesson really takes on this machine (wasm, Chromium, production build), at its
// full length: `npx vite build --logLevel warn && npx tsx scripts/benchLessons.ts [lesson…]`. Writes the
// "Lessons" section of BENCHMARKS.md (only when every lesson was run); --shots also saves
// docs/lessons/<name>.png (what scripts/lessonShots.ts does alone).
import { cpus } from 'node:os';
import { LESSONS } from '../src/lessons';
import { writeBenchmarkSection } from './benchmarksFile';
import { driveLessons, lessonArgs } from './lessonDriver';
import { saveShot } from './lessonShots';

/** The budget issue 16 sets per lesson (wasm, 2-core laptop). */
const BUDGET_S = 300;

const names = lessonArgs(LESSONS.map((l) => l.name));
const runs = await driveLessons(names, process.argv.includes('--shots') ? saveShot : undefined);
if (names.length === LESSONS.length) {
  const rows = runs.map((r) => `| ${r.name} | ${r.seconds.toFixed(0)} s | ${(r.seconds / BUDGET_S).toFixed(2)} | ${r.ok ? '' : 'ERROR: '}${r.verdict.replace(/\|/g, '\\|')} |`);
  writeBenchmarkSection('Lessons', [
    '## Lessons',
    '',
    `Each guided lesson at its full length (scripts/benchLessons.ts: production build, Debian Chromium, ${runs[0]?.backend ?? 'wasm'}, ` +
      `${cpus().length} cores), from the click on Run lesson to the verdict, model load included, one run each. ` +
      `Budget: ${BUDGET_S} s per lesson.`,
    '',
    '| lesson | time | of the budget | verdict of that run |',
    '|---|---|---|---|',
    ...rows,
    '',
    'Command: `npx vite build --logLevel warn && npx tsx scripts/benchLessons.ts --shots`',
    '',
  ].join('\n'));
}
if (runs.some((r) => !r.ok)) process.exitCode = 1;
