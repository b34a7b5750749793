import assert from 'node:assert/strict';
import { test } from 'node:test';

import { alignSeries, errorPosition, seriesName } from './series';

test('seriesName writes a selector with sorted labels', () => {
  assert.equal(
    seriesName({ job: 'argus', __name__: 'up', instance: 'a:9090' }),
    'up{instance="a:9090", job="argus"}',
  );
  assert.equal(seriesName({ __name__: 'up' }), 'up');
  assert.equal(seriesName({ code: '200' }), '{code="200"}');
  assert.equal(seriesName({}), '{}');
  assert.equal(seriesName({ path: 'say "hi"' }), '{path="say \\"hi\\""}');
});

test('alignSeries puts each value at its timestamp and null in the gaps', () => {
  const data = alignSeries(
    [
      { metric: {}, values: [[100, '1'], [110, '2'], [130, '4']] },
      { metric: {}, values: [[120, 'NaN'], [140, '+Inf']] },
    ],
    100,
    140,
    10,
  );
  assert.deepEqual(data[0], [100, 110, 120, 130, 140]);
  assert.deepEqual(data[1], [1, 2, null, 4, null]);
  assert.ok(Number.isNaN(data[2][2]));
  assert.equal(data[2][4], Infinity);
  assert.deepEqual(data[2].slice(0, 2), [null, null]);
});

test('errorPosition finds the offset of line:column', () => {
  assert.deepEqual(errorPosition('1:5: parse error: unclosed left parenthesis', 'sum('), {
    line: 1,
    column: 5,
    offset: 4,
  });
  assert.deepEqual(errorPosition('2:3: parse error: unexpected', 'sum(\n  x +)'), {
    line: 2,
    column: 3,
    offset: 7,
  });
  assert.deepEqual(
    errorPosition('invalid parameter "query": 1:1: parse error: unexpected "}"', '}'),
    { line: 1, column: 1, offset: 0 },
  );
  assert.equal(errorPosition('query timed out', 'up'), null);
  assert.equal(errorPosition('bad value 12:30: not a position', 'up'), null);
  assert.equal(errorPosition('1:9: parse error', 'up'), null);
  assert.equal(errorPosition('3:1: parse error', 'up'), null);
});
