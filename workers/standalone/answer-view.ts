// One answer as the app's Monitor form shows it: the prediction, each class's probability, and the input warnings
// worded by check.js (the app's own words).

import type { Prediction } from '../../src/core/contracts/predict';
import { el } from './dom';

/** A probability as the app prints it. */
export function percent(p: number): string {
  return `${(p * 100).toFixed(1)}%`;
}

export function answerView(answer: Prediction, labels: readonly string[]): HTMLElement {
  const box = el('div', { class: 'answer' });
  if (!answer.ok) {
    box.append(el('div', { class: 'error', role: 'alert', 'aria-label': 'Prediction error' }, `No prediction: ${answer.error}`));
  } else {
    const result = el('div', { role: 'status', 'aria-label': 'Prediction' }, el('p', {}, 'Prediction: ', el('strong', { class: 'output' }, String(answer.output))));
    if (answer.probabilities) {
      const rows = labels.map((label, i) => {
        const p = answer.probabilities?.[i] ?? 0;
        const bar = el('span', { class: 'bar' });
        // Through the style object, not a style attribute: a strict policy allows the one, not the other.
        bar.style.width = `${Math.round(p * 200)}px`;
        // The exact value stays readable (and comparable) beside the rounded one.
        return el('tr', {}, el('th', { scope: 'row' }, label), el('td', {}, bar), el('td', { class: 'num', 'data-probability': String(p) }, percent(p)));
      });
      result.append(el('table', { 'aria-label': 'Probabilities' }, el('tbody', {}, ...rows)));
    }
    box.append(result);
  }
  if (answer.warnings.length > 0) {
    const intro = answer.ok ? 'The model answered, but these inputs are not what it was trained on:' : 'What was odd about the inputs:';
    box.append(
      el('div', { class: 'warn', role: 'alert', 'aria-label': 'Input warnings' }, el('p', {}, intro), el('ul', {}, ...answer.warnings.map((w) => el('li', {}, w.message)))),
    );
  }
  return box;
}
