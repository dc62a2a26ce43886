// One row typed into a form, answered with the app's words. Every field is text (categories suggest the values seen
// in training): an unseen category or a mistyped number must reach the model's checks and be reported, not be
// refused by the form, as in the app's Monitor.

import type { RawRow } from '../../src/core/shared/types';
import { answerView } from './answer-view';
import { el, messageOf } from './dom';
import type { Served } from './serve';

export function formPanel(served: Served): HTMLElement {
  const inputs = new Map<string, HTMLInputElement>();
  const fields = served.fields.map((f, i) => {
    const input = el('input', { type: 'text', name: f.name, placeholder: '(missing)', inputmode: f.type === 'number' ? 'decimal' : undefined });
    inputs.set(f.name, input);
    if (f.type !== 'category' || f.values.length === 0) return el('label', {}, f.name, input);
    const listId = `values-${i}`;
    input.setAttribute('list', listId);
    return el('label', {}, f.name, input, el('datalist', { id: listId }, ...f.values.map((v) => el('option', { value: v }))));
  });
  const button = el('button', { type: 'submit' }, 'Predict');
  const form = el('form', { class: 'row', 'aria-label': 'Prediction input' }, ...fields, button);
  const out = el('div', { 'aria-live': 'polite' });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    // As the app reads its form: text trimmed, empty is missing; keys in a prototype-less object so a column named
    // "__proto__" is an ordinary key.
    const row = Object.create(null) as RawRow;
    for (const [name, input] of inputs) {
      const text = input.value.trim();
      row[name] = text === '' ? null : text;
    }
    button.disabled = true;
    served
      .predict([row])
      .then(([answer]) => {
        if (!answer) throw new Error('the model gave no answer for the row');
        out.replaceChildren(answerView(answer, served.labels));
      })
      .catch((e: unknown) => out.replaceChildren(el('div', { class: 'error', role: 'alert' }, `Prediction failed: ${messageOf(e)}`)))
      .finally(() => (button.disabled = false));
  });

  return el('section', { 'aria-labelledby': 'form-title' }, el('h2', { id: 'form-title' }, 'Predict one row'), form, out);
}
