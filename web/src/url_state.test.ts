import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  kDefaultState,
  parseDuration,
  readExploreState,
  writeExploreState,
  type ExploreState,
} from './url_state';

test('a state survives the URL', () => {
  const states: ExploreState[] = [
    { expr: 'rate(prometheus_http_requests_total{code="200"}[1m])', range: '6h', view: 'graph' },
    { expr: 'sum by (job) (up)\n  + 1 & 2', range: '5m', view: 'table' },
    { expr: '', range: '1h', view: 'graph' },
  ];
  for (const state of states) {
    const search = writeExploreState(state);
    assert.ok(search.startsWith('?'));
    assert.deepEqual(readExploreState(search), state);
    assert.deepEqual(readExploreState(search.slice(1)), state);
  }
});

test('what the URL lacks or garbles takes the default', () => {
  assert.deepEqual(readExploreState(''), kDefaultState);
  assert.deepEqual(readExploreState('?expr=up&range=13x&view=pie'), {
    ...kDefaultState,
    expr: 'up',
  });
  assert.deepEqual(readExploreState('?expr=a%2Bb&range=24h'), {
    expr: 'a+b',
    range: '24h',
    view: 'graph',
  });
});

test('parseDuration', () => {
  assert.equal(parseDuration('5m'), 300);
  assert.equal(parseDuration('24h'), 86400);
  assert.equal(parseDuration('7d'), 604800);
  assert.equal(parseDuration('1w'), 604800);
  assert.equal(parseDuration('1.5h'), null);
  assert.equal(parseDuration('h'), null);
  assert.equal(parseDuration(''), null);
});
