// Ground truth that arrives late, joined to logged requests by request id. A label reaches every row of that id (the
// serving row and a shadow row scored beside it); a stored label is never overwritten, so loading the same file twice
// changes nothing, and a different label for a labelled request is reported rather than taken.

import type { RequestChunk } from './types';

export interface LateLabel {
  requestId: number;
  /** Classification: the class name; regression: the value (a number, or text in plain decimal notation). */
  label: string | number;
  /** When the label became known. */
  at: number;
  /** Where it came from, for messages: "line 12" of a labels file. */
  where?: string;
}

export interface LabelJoinCounts {
  received: number;
  /** Labels stored on at least one row. */
  joined: number;
  /** Every row of the id already had this very label. */
  alreadyLabelled: number;
  /** The id already has a different label; the stored one is kept. */
  conflicting: number;
  /** No logged request has this id (it may have gone with retention). */
  unknownId: number;
  /** The id came earlier in the same input; the first one is used. */
  duplicate: number;
  /** Classification: the label is none of the model's classes. */
  unknownClass: number;
  /** Regression: the label is not a finite number; or the label's time is not a number. */
  invalid: number;
}

export interface LabelJoin {
  /** The chunks that changed, as new objects (the inputs are not modified). */
  chunks: RequestChunk[];
  counts: LabelJoinCounts;
  /** The first problems, each naming where the label came from and its request id. */
  messages: string[];
}

/** Messages kept per join; the counts hold the rest. */
export const MAX_LABEL_MESSAGES = 20;

type Outcome = 'joined' | 'alreadyLabelled' | 'conflicting' | 'unknownClass' | 'invalid';
/** A label that reaches several rows reports the best of their outcomes, in this order. */
const RANK: readonly Outcome[] = ['joined', 'alreadyLabelled', 'conflicting', 'unknownClass', 'invalid'];

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The stored encoding of a label for a chunk: class index or value; null when it cannot be one. */
function encode(chunk: RequestChunk, label: string | number): number | null {
  if (chunk.task === 'classification') {
    const index = chunk.classes.indexOf(String(label).trim());
    return index < 0 ? null : index;
  }
  if (typeof label === 'number') return Number.isFinite(label) ? label : null;
  const text = label.trim();
  return DECIMAL.test(text) && Number.isFinite(Number(text)) ? Number(text) : null;
}

function place(label: LateLabel): string {
  return label.where ? `${label.where}: request ${label.requestId}` : `Request ${label.requestId}`;
}

/** Joins labels into the chunks that hold their request ids. */
export function joinLabels(chunks: readonly RequestChunk[], labels: readonly LateLabel[]): LabelJoin {
  const counts: LabelJoinCounts = {
    received: labels.length,
    joined: 0,
    alreadyLabelled: 0,
    conflicting: 0,
    unknownId: 0,
    duplicate: 0,
    unknownClass: 0,
    invalid: 0,
  };
  const messages: string[] = [];
  const say = (message: string) => {
    if (messages.length < MAX_LABEL_MESSAGES) messages.push(message);
  };

  const byId = new Map<number, number>();
  labels.forEach((label, i) => {
    const first = byId.get(label.requestId);
    if (first !== undefined) {
      counts.duplicate++;
      say(`${place(label)} was already given${labels[first].where ? ` on ${labels[first].where}` : ''}; the first label is used.`);
    } else if (!Number.isFinite(label.at)) {
      counts.invalid++;
      say(`${place(label)}: the label's time is not a number.`);
    } else byId.set(label.requestId, i);
  });

  const best = new Map<number, Outcome>();
  const note = (index: number, outcome: Outcome) => {
    const previous = best.get(index);
    if (previous === undefined || RANK.indexOf(outcome) < RANK.indexOf(previous)) best.set(index, outcome);
  };
  const changed: RequestChunk[] = [];
  for (const chunk of chunks) {
    let copy: RequestChunk | null = null;
    for (let row = 0; row < chunk.rows; row++) {
      const index = byId.get(chunk.ids[row]);
      if (index === undefined) continue;
      const label = labels[index];
      const value = encode(chunk, label.label);
      if (value === null) {
        note(index, chunk.task === 'classification' ? 'unknownClass' : 'invalid');
        continue;
      }
      if (!Number.isNaN(chunk.labelAt[row])) {
        note(index, chunk.labels[row] === value ? 'alreadyLabelled' : 'conflicting');
        continue;
      }
      copy ??= { ...chunk, labels: chunk.labels.slice(), labelAt: chunk.labelAt.slice() } as RequestChunk;
      copy.labels[row] = value;
      copy.labelAt[row] = label.at;
      copy.labelled++;
      note(index, 'joined');
    }
    if (copy) changed.push(copy);
  }

  for (const [, index] of byId) {
    const label = labels[index];
    const outcome = best.get(index);
    if (outcome === undefined) {
      counts.unknownId++;
      say(`${place(label)} is not in the log.`);
      continue;
    }
    counts[outcome]++;
    if (outcome === 'conflicting') say(`${place(label)} already has a different label; the stored one is kept.`);
    else if (outcome === 'unknownClass') say(`${place(label)}: ${JSON.stringify(label.label)} is not one of the model's classes.`);
    else if (outcome === 'invalid') say(`${place(label)}: ${JSON.stringify(label.label)} is not a number.`);
  }
  return { chunks: changed, counts, messages };
}
