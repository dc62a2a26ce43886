// The answers to an uploaded file as CSV: the file's own columns, then the prediction, each class's probability, the
// input warnings and any error. A text cell that a spreadsheet would run as a formula (= + - @, tab, carriage
// return first) gets a leading apostrophe; numbers stay numbers.

import type { Prediction } from '../../src/core/contracts/predict';

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function cell(value: string): string {
  const safe = FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function answersCsv(header: readonly string[], rows: readonly Record<string, string>[], answers: readonly Prediction[], labels: readonly string[]): string {
  const head = [...header, 'prediction', ...labels.map((l) => `probability ${l}`), 'warnings', 'error'];
  const lines = [head.map(cell).join(',')];
  rows.forEach((row, i) => {
    const a = answers[i];
    if (!a) throw new Error(`row ${i + 1} has no answer`);
    const probabilities = labels.map((_, j) => (a.ok && a.probabilities ? String(a.probabilities[j] ?? '') : ''));
    const values = [
      ...header.map((h) => row[h] ?? ''),
      a.ok ? String(a.output) : '',
      ...probabilities,
      a.warnings.map((w) => w.message).join('; '),
      a.ok ? '' : a.error,
    ];
    lines.push(values.map(cell).join(','));
  });
  return `${lines.join('\r\n')}\r\n`;
}
