// The PromQL editor: CodeMirror 6 with Prometheus' own PromQL support (highlighting, linting,
// autocompletion of functions, metric names, label names and values from the server's API).
// Enter runs the query (Shift+Enter breaks the line); with the completion list open, Enter takes
// the completion.
import { autocompletion, closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, insertNewlineAndIndent } from '@codemirror/commands';
import { bracketMatching, HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorState, Prec } from '@codemirror/state';
import { EditorView, keymap, placeholder } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { PromQLExtension } from '@prometheus-io/codemirror-promql';
import { useEffect, useRef } from 'preact/hooks';

const kHighlight = HighlightStyle.define([
  { tag: tags.number, color: 'var(--code-number)' },
  { tag: tags.string, color: 'var(--code-string)' },
  { tag: tags.keyword, color: 'var(--code-keyword)' },
  { tag: tags.function(tags.variableName), color: 'var(--code-function)' },
  { tag: tags.labelName, color: 'var(--code-label)' },
  { tag: tags.operator, color: 'var(--code-operator)' },
  { tag: tags.modifier, color: 'var(--code-keyword)' },
  { tag: tags.comment, color: 'var(--text-muted)', fontStyle: 'italic' },
  { tag: tags.invalid, color: 'var(--error)' },
]);

const kTheme = EditorView.theme({
  '&': { backgroundColor: 'var(--input-bg)', color: 'var(--text)' },
  '.cm-content': { fontFamily: 'var(--mono)', caretColor: 'var(--text)' },
  '.cm-cursor': { borderLeftColor: 'var(--text)' },
  '&.cm-focused': { outline: 'none' },
  '.cm-tooltip': {
    backgroundColor: 'var(--panel-bg)',
    color: 'var(--text)',
    border: '1px solid var(--border)',
  },
  '.cm-tooltip-autocomplete ul li[aria-selected]': {
    backgroundColor: 'var(--accent)',
    color: 'var(--accent-text)',
  },
  '.cm-placeholder': { color: 'var(--text-muted)' },
});

interface Props {
  // The text to show: when it changes (a run, back and forward), it replaces what is written. It
  // is not the text as typed, which onChange tells.
  value: string;
  onChange: (expr: string) => void;
  onRun: (expr: string) => void; // With the editor's text, which onChange may not have told yet.
}

export function PromqlEditor({ value, onChange, onRun }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  // The latest callbacks, for the editor's handlers, which are made once.
  const handlers = useRef({ onChange, onRun });
  handlers.current = { onChange, onRun };

  useEffect(() => {
    const promql = new PromQLExtension().setComplete({ remote: { url: '' } });
    view.current = new EditorView({
      parent: box.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          history(),
          closeBrackets(),
          bracketMatching(),
          autocompletion(),
          syntaxHighlighting(kHighlight),
          kTheme,
          placeholder('Expression (press Enter to run, Shift+Enter for a new line)'),
          EditorView.lineWrapping,
          promql.asExtension(),
          Prec.high(
            keymap.of([
              { key: 'Enter', run: (v) => (handlers.current.onRun(v.state.doc.toString()), true) },
              { key: 'Shift-Enter', run: insertNewlineAndIndent },
            ]),
          ),
          keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap]),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) handlers.current.onChange(update.state.doc.toString());
          }),
        ],
      }),
    });
    return () => view.current?.destroy();
  }, []);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) {
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
    }
  }, [value]);

  return <div class="editor" ref={box} />;
}
