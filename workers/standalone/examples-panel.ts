// "Check examples": replays the rows Loopbench answered when it exported the model and says how many this page
// answers the same, so a copy that lost or changed a file shows it before anyone trusts an answer.

import type { BundleExample } from '../../src/core/deliver/export/bundle';
import { el, messageOf } from './dom';
import { mismatch } from './examples';
import type { Served } from './serve';

/** Differences listed; the count covers them all. */
const SHOWN_DIFFERENCES = 20;

export function examplesPanel(served: Served, examples: readonly BundleExample[]): HTMLElement {
  const button = el('button', { type: 'button' }, 'Check examples');
  const out = el('div', { 'aria-live': 'polite' });
  button.addEventListener('click', () => {
    button.disabled = true;
    served
      .predict(examples.map((e) => e.input))
      .then((answers) => {
        const differences = examples
          .map((want, i) => ({ i, why: answers[i] ? mismatch(answers[i], want) : 'no answer' }))
          .filter((d): d is { i: number; why: string } => d.why !== null);
        const matched = examples.length - differences.length;
        const listed = differences.slice(0, SHOWN_DIFFERENCES).map((d) => el('li', {}, `example ${d.i + 1}: ${d.why}`));
        out.replaceChildren(
          el('p', { role: 'status', 'aria-label': 'Examples checked' }, `${matched} of ${examples.length} examples match.`),
          ...(listed.length > 0 ? [el('ul', { class: 'error' }, ...listed)] : []),
        );
      })
      .catch((e: unknown) => out.replaceChildren(el('div', { class: 'error', role: 'alert' }, `Checking the examples failed: ${messageOf(e)}`)))
      .finally(() => (button.disabled = false));
  });
  return el(
    'section',
    { 'aria-labelledby': 'examples-title' },
    el('h2', { id: 'examples-title' }, 'Check the model'),
    el('p', {}, `Answers the ${examples.length} rows Loopbench answered when it exported this model and compares.`),
    button,
    out,
  );
}
