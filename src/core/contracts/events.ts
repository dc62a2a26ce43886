// Event shapes more than one worker sends. Types only.

/** Progress of a job over a known number of items (rows, files). */
export interface ProgressEvent {
  type: 'progress';
  done: number;
  total: number;
}
