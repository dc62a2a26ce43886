// A CSV file (chosen or dropped) read with the app's import rules (csv.js: separator detected, quotes, UTF-8/16,
// Windows-1252), every row answered, shown with its line and warnings, and offered back as a CSV download.

import { csvRecords, readCsv } from '../../src/core/serving/csv.js';
import { answersCsv } from './answers-csv';
import { percent } from './answer-view';
import { el, messageOf } from './dom';
import type { Served } from './serve';

/** Rows drawn in the table; the download always holds every row. */
const SHOWN_ROWS = 500;

export function filePanel(served: Served, fileName: string): HTMLElement {
  const input = el('input', { type: 'file', id: 'csv-file', accept: '.csv,.tsv,.tab,.txt,text/csv' });
  const drop = el('div', { class: 'drop', role: 'group', 'aria-label': 'Drop a CSV file here' }, el('label', { for: 'csv-file' }, 'CSV file'), ' ', input, el('p', { class: 'muted' }, 'Or drop a file on this box. The first line names the columns.'));
  const out = el('div', { 'aria-live': 'polite' });
  let downloadUrl: string | null = null;

  async function answer(file: File): Promise<void> {
    out.replaceChildren(el('p', { role: 'status' }, `Reading ${file.name}…`));
    try {
      const table = readCsv(new Uint8Array(await file.arrayBuffer()), file.name);
      const rows = csvRecords(table);
      const answers = await served.predict(rows);
      const warned = answers.filter((a) => a.warnings.length > 0).length;
      const failed = answers.filter((a) => !a.ok).length;
      if (downloadUrl) URL.revokeObjectURL(downloadUrl);
      downloadUrl = URL.createObjectURL(new Blob([answersCsv(table.header, rows, answers, served.labels)], { type: 'text/csv;charset=utf-8' }));
      const base = file.name.replace(/\.[^.]*$/, '') || 'rows';
      const link = el('a', { href: downloadUrl, download: `${base}-answers-${fileName}.csv` }, 'Download answers');
      const head = el('tr', {}, ...['Line', 'Prediction', ...served.labels.map((l) => `P(${l})`), 'Warnings'].map((h) => el('th', { scope: 'col' }, h)));
      const body = answers.slice(0, SHOWN_ROWS).map((a, i) =>
        el(
          'tr',
          {},
          el('td', { class: 'num' }, String(table.lines[i] ?? i + 2)),
          el('td', {}, a.ok ? String(a.output) : `error: ${a.error}`),
          ...served.labels.map((_, j) => el('td', { class: 'num' }, a.ok && a.probabilities ? percent(a.probabilities[j] ?? 0) : '')),
          el('td', {}, a.warnings.map((w) => w.message).join('; ')),
        ),
      );
      const summary = `${rows.length} ${rows.length === 1 ? 'row' : 'rows'} of ${file.name} answered${warned > 0 ? `; ${warned} with input warnings` : ''}${failed > 0 ? `; ${failed} without a prediction` : ''}.`;
      out.replaceChildren(
        el('p', { role: 'status' }, summary, ' ', link),
        ...(rows.length > SHOWN_ROWS ? [el('p', { class: 'muted' }, `The first ${SHOWN_ROWS} rows are shown; the download holds all ${rows.length}.`)] : []),
        el('div', { class: 'table-wrap' }, el('table', { 'aria-label': 'Answers' }, el('thead', {}, head), el('tbody', {}, ...body))),
      );
    } catch (e) {
      out.replaceChildren(el('div', { class: 'error', role: 'alert' }, `Could not answer ${file.name}: ${messageOf(e)}`));
    }
  }

  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) void answer(file);
  });
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const file = e.dataTransfer?.files[0];
    if (file) void answer(file);
  });

  return el('section', { 'aria-labelledby': 'file-title' }, el('h2', { id: 'file-title' }, 'Predict a CSV file'), drop, out);
}
