/**
 * The CodeMirror 6 side: a cell whose first line is `%%gkreport` is coloured by its body,
 * not as Python.  The sparse form is YAML, a pipe or grid table is Markdown (GFM tables),
 * CSV lines are plain.  Every other cell keeps the language JupyterLab gave it.
 *
 * The language lives in a compartment at the highest precedence: empty in any other cell (the
 * language JupyterLab chose applies), the body's language in a `%%gkreport` cell.  It follows
 * each edit (a transaction extender) and the content an editor is created with (a view plugin).
 */

import { markdown, markdownLanguage } from '@codemirror/lang-markdown';
import { Language, StreamLanguage, StreamParser, syntaxHighlighting } from '@codemirror/language';
import { yaml } from '@codemirror/legacy-modes/mode/yaml';
import { Compartment, EditorState, Extension, Prec, Text } from '@codemirror/state';
import { EditorView, ViewPlugin } from '@codemirror/view';
import { classHighlighter } from '@lezer/highlight';

export type BodyForm = 'yaml' | 'markdown' | 'csv';

const MAGIC = /^\s*%%gkreport(\s|$)/;
const SCANNED_LINES = 60; // enough to tell the form; a cell can be long

/** How the body of a `%%gkreport` cell is written; null for any other cell. */
export function bodyForm(doc: Text | string): BodyForm | null {
  const lines = (typeof doc === 'string' ? doc.split('\n') : doc.toJSON()).slice(0, SCANNED_LINES);
  const first = lines.findIndex(line => line.trim() !== '');
  if (first < 0 || !MAGIC.test(lines[first])) {
    return null;
  }
  const body = lines.slice(first + 1).filter(line => line.trim() !== '' && !line.trim().startsWith('#'));
  if (body.length === 0) {
    return 'yaml';
  }
  if (body[0].trim().startsWith('+') || body.filter(line => line.trim().startsWith('|')).length >= 2) {
    return 'markdown';
  }
  // CSV lines are `row,column,value`: commas and no YAML `key: value`.
  const csv = body.every(line => line.includes(',') && !/:(\s|$)|\{/.test(line));
  return csv ? 'csv' : 'yaml';
}

interface MagicState<S> {
  magicLine: boolean;
  inner: S;
}

/** A stream parser whose first line, `%%gkreport …`, is `meta`; the rest goes to `inner`. */
function afterMagicLine<S>(inner: StreamParser<S>, name: string): StreamParser<MagicState<S>> {
  return {
    name,
    startState: indentUnit => ({ magicLine: true, inner: inner.startState ? inner.startState(indentUnit) : (true as S) }),
    copyState: state => ({
      magicLine: state.magicLine,
      inner: inner.copyState ? inner.copyState(state.inner) : state.inner
    }),
    token: (stream, state) => {
      if (state.magicLine) {
        state.magicLine = false;
        if (stream.match(MAGIC, false)) {
          stream.skipToEnd();
          return 'meta';
        }
      }
      return inner.token(stream, state.inner);
    },
    blankLine: (state, indentUnit) => inner.blankLine?.(state.inner, indentUnit),
    indent: (state, textAfter, context) => (inner.indent ? inner.indent(state.inner, textAfter, context) : null),
    languageData: inner.languageData,
    tokenTable: inner.tokenTable
  };
}

/** CSV lines: plain text, the commas as separators. */
const csvLines: StreamParser<true> = {
  name: 'csv',
  token: stream => {
    if (stream.eat(',')) {
      return 'separator';
    }
    stream.eatWhile(ch => ch !== ',');
    return null;
  }
};

const LANGUAGES: Record<BodyForm, Language> = {
  yaml: StreamLanguage.define(afterMagicLine(yaml, 'yaml')),
  markdown: markdown({ base: markdownLanguage }).language,
  csv: StreamLanguage.define(afterMagicLine(csvLines, 'csv'))
};

const NONE: Extension = [];
const bodyLanguage = new Compartment();

/** The compartment's content for this document, or null when it already holds it. */
function change(state: EditorState, doc: Text): Extension | null {
  const form = bodyForm(doc);
  const wanted = form ? LANGUAGES[form] : NONE;
  return bodyLanguage.get(state) === wanted ? null : wanted;
}

const followEdits = EditorState.transactionExtender.of(transaction => {
  if (!transaction.docChanged) {
    return null;
  }
  const wanted = change(transaction.startState, transaction.newDoc);
  return wanted === null ? null : { effects: bodyLanguage.reconfigure(wanted) };
});

const followInitialContent = ViewPlugin.define((view: EditorView) => {
  const wanted = change(view.state, view.state.doc);
  if (wanted !== null) {
    // a view plugin may not dispatch while the view is being built
    queueMicrotask(() => view.dispatch({ effects: bodyLanguage.reconfigure(wanted) }));
  }
  return {};
});

/** The editor extension for every cell editor: the body's language in `%%gkreport` cells. */
export function gkreportCells(): Extension {
  return [Prec.highest(bodyLanguage.of(NONE)), followEdits, followInitialContent];
}

/**
 * Stable token classes (`tok-keyword`, `tok-number`, …) beside JupyterLab's generated ones, so
 * that user styles and tests can tell how a cell was tokenized.
 */
export function tokenClasses(): Extension {
  return syntaxHighlighting(classHighlighter);
}
