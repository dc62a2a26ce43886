// The pure pieces of a feedback loop: which labels a retraining on logged traffic gets when the labels come from the
// model itself. Training and serving the new model is the orchestrator's job (it needs the workers).
//
// Why the class shares run away: where the model is unsure (confidence under `unsureBelow`), the row is labelled with
// the model's most common answer. The retrained model learns that class for those rows, so its region grows; the new
// boundary has a new unsure band beyond it, which the next retraining hands to the same class again. Each round moves
// the boundary further into the other classes, while the true shares of the traffic never change.

import type { RawRow, RawValue } from '../../shared/types';
import { requestRand } from './request-rand';
import type { FeedbackLoopSpec, ReplayRequest } from './types';

/** Salt of the per-request stream selfLabel draws from (scenarios use another). */
export const SELF_LABEL_SALT = 2;

/** What the model answered for a request: a class (or value) and its top probability; output null when it gave no usable answer. */
export interface ModelAnswer {
  output: string | number | null;
  /** The top class probability; null when the model gives none (then the answer counts as sure). */
  confidence: number | null;
}

export interface SelfLabelOptions {
  target: string;
  seed: number;
  selfLabelShare: number;
  unsureBelow: number;
  /** Virtual time of the retraining: a true label counts only if it has arrived by then. Default: every label that ever arrives. */
  now?: number;
}

export interface SelfLabelled {
  /** Training rows: each labelled request's input with the target set to its label. */
  rows: RawRow[];
  /** The model's most common answer over these requests (ties: the one that reached that count first); null when it never answered. */
  topClass: RawValue;
  /** Rows labelled with the model's own answer. */
  selfLabelled: number;
  /** Of those, rows where the model was unsure and its most common answer was used instead. */
  defaulted: number;
  /** Rows labelled with the truth. */
  trueLabelled: number;
  /** Requests without a label to train on: no answer from the model, or the truth had not arrived. */
  unlabelled: number;
}

/** What `selfLabels` says of each request, and how many got a label of which kind. */
export interface RequestLabels extends Omit<SelfLabelled, 'rows'> {
  /** Per request, in order: its label, or null when it has none to train on. */
  labels: RawValue[];
}

/**
 * Training rows for a retraining on logged traffic, labelled by the model (`selfLabelShare` of them) or by the truth.
 * `predictions[i]` is the model's answer to `requests[i]`. Which rows the model labels depends on (seed, seq) only.
 */
export function selfLabel(requests: readonly ReplayRequest[], predictions: readonly ModelAnswer[], options: SelfLabelOptions): SelfLabelled {
  const { labels, ...counts } = selfLabels(requests, predictions, options);
  const rows: RawRow[] = [];
  requests.forEach((request, i) => {
    if (labels[i] !== null) rows.push({ ...request.input, [options.target]: labels[i] });
  });
  return { rows, ...counts };
}

/**
 * The label selfLabel gives each request, without building rows: for a caller that holds the inputs in another form
 * (the request log's columns). `target` is not read.
 */
export function selfLabels(
  requests: readonly Pick<ReplayRequest, 'seq' | 'label' | 'labelAt'>[],
  predictions: readonly ModelAnswer[],
  options: SelfLabelOptions,
): RequestLabels {
  const { seed, selfLabelShare, unsureBelow, now = Number.POSITIVE_INFINITY } = options;
  if (requests.length !== predictions.length) {
    throw new Error(`selfLabel: ${requests.length} requests but ${predictions.length} predictions; give one answer per request.`);
  }
  checkShare('selfLabelShare', selfLabelShare);
  checkShare('unsureBelow', unsureBelow);
  const topClass = mostCommon(predictions);
  const out: RequestLabels = { labels: [], topClass, selfLabelled: 0, defaulted: 0, trueLabelled: 0, unlabelled: 0 };
  requests.forEach((request, i) => {
    const { output, confidence } = predictions[i];
    let label: RawValue = null;
    if (requestRand(seed, request.seq, SELF_LABEL_SALT)() < selfLabelShare) {
      if (output !== null) {
        const unsure = confidence !== null && confidence < unsureBelow;
        label = unsure ? topClass : output;
        out.selfLabelled++;
        if (unsure) out.defaulted++;
      }
    } else if (request.label !== null && request.labelAt !== null && request.labelAt <= now) {
      label = request.label;
      out.trueLabelled++;
    }
    if (label === null) out.unlabelled++;
    out.labels.push(label);
  });
  return out;
}

function checkShare(name: string, v: number): void {
  if (!(v >= 0 && v <= 1)) throw new Error(`selfLabel: ${name} must be between 0 and 1 (got ${v}).`);
}

function mostCommon(answers: readonly ModelAnswer[]): RawValue {
  const counts = new Map<string | number, number>();
  let best: RawValue = null;
  let bestCount = 0;
  for (const { output } of answers) {
    if (output === null) continue;
    const c = (counts.get(output) ?? 0) + 1;
    counts.set(output, c);
    if (c > bestCount) {
      best = output;
      bestCount = c;
    }
  }
  return best;
}

/** One retraining of a feedback loop: after window `afterWindow` closes, train on windows `fromWindow`..`afterWindow`. */
export interface Retraining {
  afterWindow: number;
  fromWindow: number;
}

/** The retrainings of a replay of `windowCount` windows; the new model serves from window `afterWindow + 1`. */
export function retrainings(spec: FeedbackLoopSpec, windowCount: number): Retraining[] {
  const out: Retraining[] = [];
  // The last window has no next one to serve, so no retraining follows it.
  for (let w = spec.retrainEveryWindows - 1; w < windowCount - 1; w += spec.retrainEveryWindows) {
    out.push({ afterWindow: w, fromWindow: Math.max(0, w - spec.trainOnWindows + 1) });
  }
  return out;
}
