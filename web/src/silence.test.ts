import assert from 'node:assert/strict';
import { test } from 'node:test';

import { buildSilence, silencing, type Silence, type SilenceForm } from './silence';

const kNow = Date.parse('2024-05-01T12:00:00Z');
const kForm: SilenceForm = {
  matchers: 'alertname="Down"\n\n  instance=~"a.*"  \n',
  duration: '2h',
  createdBy: ' ana ',
  comment: 'maintenance',
};

test('buildSilence makes the body the API takes', () => {
  assert.deepEqual(buildSilence(kForm, kNow), {
    matchers: [
      { name: 'alertname', value: 'Down', isRegex: false, isEqual: true },
      { name: 'instance', value: 'a.*', isRegex: true, isEqual: true },
    ],
    startsAt: '2024-05-01T12:00:00.000Z',
    endsAt: '2024-05-01T14:00:00.000Z',
    createdBy: 'ana',
    comment: 'maintenance',
  });
});

test('buildSilence says what is wrong with the form', () => {
  const cases: [Partial<SilenceForm>, RegExp][] = [
    [{ matchers: 'alertname' }, /not a matcher: alertname/],
    [{ matchers: '  \n' }, /at least one matcher/],
    [{ matchers: 'job=~".*"' }, /every alert/],
    [{ duration: '2 hours' }, /not a duration/],
    [{ duration: '0m' }, /not a duration/],
    [{ createdBy: ' ' }, /who/],
    [{ comment: '' }, /why/],
  ];
  for (const [change, want] of cases) {
    const made = buildSilence({ ...kForm, ...change }, kNow);
    assert.equal(typeof made, 'string', JSON.stringify(change));
    assert.match(made as string, want);
  }
});

test('silencing finds the active silences whose matchers the labels meet', () => {
  const silence = (id: string, state: Silence['status']['state'], value: string): Silence => ({
    id,
    matchers: [{ name: 'alertname', value, isRegex: false, isEqual: true }],
    startsAt: '',
    endsAt: '',
    createdBy: '',
    comment: '',
    status: { state },
  });
  const all = [
    silence('a', 'active', 'Down'),
    silence('b', 'expired', 'Down'),
    silence('c', 'active', 'Up'),
  ];
  assert.deepEqual(
    silencing(all, { alertname: 'Down', job: 'x' }).map((s) => s.id),
    ['a'],
  );
});
