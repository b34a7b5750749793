import assert from 'node:assert/strict';
import { test } from 'node:test';

import { chooseStep, kMaxPoints } from './step';

test('chooseStep gives about a point per two pixels, rounded up to a nice step', () => {
  const cases: [number, number, number][] = [
    // range seconds, width pixels, step
    [3600, 1000, 10], // 7.2 s wanted.
    [3600, 1440, 5], // 5 s wanted exactly.
    [86400, 1000, 300], // 172.8 s.
    [300, 1000, 1], // Never under a second.
    [30 * 86400, 1000, 7200], // 5184 s.
    [365 * 86400, 200, 4 * 86400], // Past the table: whole days.
    [3600, 0, 3600], // No width: one point.
  ];
  for (const [range, width, want] of cases) {
    assert.equal(chooseStep(range, width), want, `${range}s over ${width}px`);
  }
});

test('chooseStep keeps minStep and the API limit on points', () => {
  assert.equal(chooseStep(3600, 1000, 60), 60);
  const range = 7 * 86400;
  const step = chooseStep(range, 100000);
  assert.ok(range / step <= kMaxPoints, `${range / step} points`);
});
