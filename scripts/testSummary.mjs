// Prints one closing line over every vitest JSON report given: "tests: N passed, N failed".
import { readFileSync } from 'node:fs';

let passed = 0,
  failed = 0;
for (const file of process.argv.slice(2)) {
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
}
console.log(`tests: ${passed} passed, ${failed} failed`);
