// How long each guided lesson really takes on this machine (wasm, Chromium, production build), at its
// full length: `npx vite build --logLevel warn && npx tsx scripts/benchLessons.ts [lesson…]`. Writes the
// "Lessons" section of BENCHMARKS.md: the rows of the lessons run now, the other lessons' rows kept from
// the section as it was; --shots also saves docs/lessons/<name>.png
// (what scripts/lessonShots.ts does alone).
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { LESSONS } from '../src/lessons';
import { writeBenchmarkSection } from './benchmarksFile';
import { driveLessons, lessonArgs } from './lessonDriver';
import { saveShot } from './lessonShots';

/** The budget issue 16 sets per lesson (wasm, 2-core laptop). */
const BUDGET_S = 300;

const names = lessonArgs(LESSONS.map((l) => l.name));
const runs = await driveLessons(names, process.argv.includes('--shots') ? saveShot : undefined);
/** The table rows of the current "Lessons" section, by lesson name. */
function oldRows(): Map<string, string> {
  const text = readFileSync(new URL('../BENCHMARKS.md', import.meta.url), 'utf8');
  const at = text.indexOf('\n## Lessons');
  const end = text.indexOf('\n## ', at + 1);
  const section = at < 0 ? '' : text.slice(at, end < 0 ? undefined : end);
  return new Map(
    section.split('\n').flatMap((l) => {
      const m = /^\| ([a-z-]+) \| \d/.exec(l);
      return m ? [[m[1], l] as const] : [];
    }),
  );
}

const kept = oldRows();
for (const r of runs) {
  kept.set(
    r.name,
    `| ${r.name} | ${r.seconds.toFixed(0)} s | ${(r.seconds / BUDGET_S).toFixed(2)} | ${r.ok ? '' : 'ERROR: '}${r.verdict.replace(/\|/g, '\\|')} |`,
  );
}
writeBenchmarkSection(
  'Lessons',
  [
    '## Lessons',
    '',
    `Each guided lesson at its full length (scripts/benchLessons.ts: production build, Debian Chromium, ${runs[0]?.backend ?? 'wasm'}, ` +
      `${cpus().length} cores shared with other jobs), from the click on Run lesson to the verdict, model load included, one run each. ` +
      `Budget: ${BUDGET_S} s per lesson.`,
    '',
    '| lesson | time | of the budget | verdict of that run |',
    '|---|---|---|---|',
    ...LESSONS.flatMap((l) => {
      const row = kept.get(l.name);
      return row === undefined ? [] : [row];
    }),
    '',
    'Command: `npx vite build --logLevel warn && npx tsx scripts/benchLessons.ts --shots [lesson…]`',
    '',
  ].join('\n'),
);
if (runs.some((r) => !r.ok)) process.exitCode = 1;
