// Silences as the Alertmanager API v2 has them, and the body of a new one as the Alerts page's
// form makes it. Pure functions, no DOM.
import { labelsMatch, parseMatcher, type Labels, type Matcher } from './format';
import { parseDuration } from './url_state';

export interface Silence {
  id: string;
  matchers: Matcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  status: { state: 'active' | 'pending' | 'expired' };
}

export interface NewSilence {
  matchers: Matcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

// What the form holds: one matcher a line, a duration such as 2h, who and why.
export interface SilenceForm {
  matchers: string;
  duration: string;
  createdBy: string;
  comment: string;
}

// The silence the form describes, starting at `nowMs`; or why it cannot be made.
export function buildSilence(form: SilenceForm, nowMs: number): NewSilence | string {
  const matchers: Matcher[] = [];
  for (const line of form.matchers.split('\n')) {
    if (line.trim() === '') continue;
    const m = parseMatcher(line);
    if (!m) return `not a matcher: ${line.trim()} (write name="value", name=~"regex", != or !~)`;
    matchers.push(m);
  }
  if (matchers.length === 0) return 'a silence needs at least one matcher';
  if (labelsMatch({}, matchers)) {
    return 'the matchers would silence every alert: add one that needs a label';
  }
  const seconds = parseDuration(form.duration.trim());
  if (!seconds) return `not a duration: "${form.duration}" (write 30m, 2h, 1d)`;
  if (form.createdBy.trim() === '') return 'say who creates the silence';
  if (form.comment.trim() === '') return 'say why, in the comment';
  return {
    matchers,
    startsAt: new Date(nowMs).toISOString(),
    endsAt: new Date(nowMs + seconds * 1000).toISOString(),
    createdBy: form.createdBy.trim(),
    comment: form.comment.trim(),
  };
}

// The active silences that mute an alert with `labels`.
export function silencing(silences: Silence[], labels: Labels): Silence[] {
  return silences.filter((s) => s.status.state === 'active' && labelsMatch(labels, s.matchers));
}
