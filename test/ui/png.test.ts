// The chart PNG's file name (the drawing itself is tested in Chromium: test/browser/exports.test.ts).
import { expect, test } from 'vitest';
import { pngName } from '../../src/ui/charts/png';

test('a chart PNG is named after its chart', () => {
  expect(pngName('Reward')).toBe('cherry-reward.png');
  expect(pngName('KL / entropy (nats)')).toBe('cherry-kl-entropy-nats.png');
  expect(pngName('—')).toBe('cherry-chart.png');
});
