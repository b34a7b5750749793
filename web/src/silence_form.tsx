// The form that silences an alert: matchers prefilled from its labels (one a line, editable),
// a duration, who and why; POSTs /api/v2/silences and says which silence it made.
import { useState } from 'preact/hooks';

import { alertmanagerCall, ApiError } from './api';
import { formatMatcher, matchersFromLabels, type Labels } from './format';
import { buildSilence, type SilenceForm } from './silence';

const kCreatorKey = 'argus.silence.creator'; // The last creator, offered again.

function lastCreator(): string {
  try {
    return localStorage.getItem(kCreatorKey) ?? '';
  } catch {
    return '';
  }
}

export function SilenceDialog({
  labels,
  onClose,
  onCreated,
}: {
  labels: Labels;
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  const [form, setForm] = useState<SilenceForm>(() => ({
    matchers: matchersFromLabels(labels).map(formatMatcher).join('\n'),
    duration: '2h',
    createdBy: lastCreator(),
    comment: '',
  }));
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const field = (name: keyof SilenceForm) => ({
    value: form[name],
    onInput: (e: Event) => setForm({ ...form, [name]: (e.currentTarget as HTMLInputElement).value }),
  });

  const submit = async (e: Event) => {
    e.preventDefault();
    const silence = buildSilence(form, Date.now());
    if (typeof silence === 'string') {
      setProblem(silence);
      return;
    }
    setSending(true);
    try {
      const made = await alertmanagerCall<{ silenceID: string }>('silences', {
        method: 'POST',
        body: silence,
      });
      try {
        localStorage.setItem(kCreatorKey, silence.createdBy);
      } catch {
        // Storage refused: the creator is asked again next time.
      }
      onCreated(made.silenceID);
    } catch (err) {
      setProblem(err instanceof ApiError ? err.message : String(err));
    } finally {
      setSending(false);
    }
  };

  return (
    <div class="dialog-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <form class="dialog card" role="dialog" aria-label="New silence" onSubmit={submit}>
        <h2>New silence</h2>
        <label>
          Matchers, one a line
          <textarea
            name="matchers"
            rows={Math.min(8, form.matchers.split('\n').length + 1)}
            {...field('matchers')}
          />
        </label>
        <div class="row">
          <label>
            Duration
            <input name="duration" placeholder="2h" {...field('duration')} />
          </label>
          <label class="grow">
            Created by
            <input name="createdBy" placeholder="your name" {...field('createdBy')} />
          </label>
        </div>
        <label>
          Comment
          <input name="comment" placeholder="why" {...field('comment')} />
        </label>
        {problem && (
          <div class="query-error" role="alert">
            {problem}
          </div>
        )}
        <div class="row end">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={sending}>
            {sending ? 'Creating…' : 'Create silence'}
          </button>
        </div>
      </form>
    </div>
  );
}
