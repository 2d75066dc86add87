// BENCHMARKS.md is shared by several benchmark scripts: each owns one "## <title>" section and
// replaces only that section (up to the next "## " heading), appending it the first time.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export function writeBenchmarkSection(title: string, section: string): void {
  const path = new URL('../BENCHMARKS.md', import.meta.url);
  const old = existsSync(path) ? readFileSync(path, 'utf8') : '# Cherry benchmarks\n\n';
  const heading = new RegExp(`^## ${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[ \\t]*$`, 'm').exec(old);
  let next: string;
  if (!heading) next = old.trimEnd() + '\n\n' + section;
  else {
    const after = old.indexOf('\n## ', heading.index + 1);
    next = old.slice(0, heading.index) + section + (after < 0 ? '' : '\n' + old.slice(after + 1));
  }
  writeFileSync(path, next);
}
