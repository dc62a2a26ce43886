// Whether a chunk is whole and agrees with its head. Chunks cross from workers as structured clones, so storage checks
// them before writing rather than trusting whoever built them.

import { MAX_CHUNK_ROWS, type RequestChunk } from './types';

/** Problems, each naming the field; empty when the chunk is sound. */
export function chunkProblems(chunk: RequestChunk): string[] {
  const problems: string[] = [];
  const { rows } = chunk;
  if (!Number.isInteger(rows) || rows < 1 || rows > MAX_CHUNK_ROWS) return [`rows: ${String(rows)} is not 1 to ${MAX_CHUNK_ROWS}.`];
  if (chunk.projectId === '') problems.push('projectId: empty.');
  if (chunk.role !== 'serving' && chunk.role !== 'shadow') problems.push(`role: ${JSON.stringify(chunk.role)} is not serving or shadow.`);
  const lengths: [string, { length: number }][] = [
    ['ids', chunk.ids],
    ['at', chunk.at],
    ['latencyMs', chunk.latencyMs],
    ['output', chunk.output],
    ['error', chunk.error],
    ['warnings', chunk.warnings],
    ['labels', chunk.labels],
    ['labelAt', chunk.labelAt],
  ];
  for (const input of chunk.inputs) lengths.push([`inputs "${input.name}"`, input.kind === 'number' ? input.values : input.codes]);
  for (const [name, column] of lengths) {
    if (column.length !== rows) problems.push(`${name}: ${column.length} values for ${rows} rows.`);
  }
  if (chunk.task === 'classification' && chunk.probabilities !== null && chunk.probabilities.length !== rows * chunk.classes.length) {
    problems.push(`probabilities: ${chunk.probabilities.length} values for ${rows} rows of ${chunk.classes.length} classes.`);
  }
  if (problems.length > 0) return problems;

  let firstId = Infinity;
  let lastId = -Infinity;
  let firstAt = Infinity;
  let lastAt = -Infinity;
  let labelled = 0;
  for (let i = 0; i < rows; i++) {
    firstId = Math.min(firstId, chunk.ids[i]);
    lastId = Math.max(lastId, chunk.ids[i]);
    firstAt = Math.min(firstAt, chunk.at[i]);
    lastAt = Math.max(lastAt, chunk.at[i]);
    if (!Number.isNaN(chunk.labelAt[i])) labelled++;
  }
  if (new Set(chunk.ids).size !== rows) problems.push('ids: a request id repeats.');
  const agree: [string, number, number][] = [
    ['firstId', chunk.firstId, firstId],
    ['lastId', chunk.lastId, lastId],
    ['firstAt', chunk.firstAt, firstAt],
    ['lastAt', chunk.lastAt, lastAt],
    ['labelled', chunk.labelled, labelled],
  ];
  for (const [name, head, actual] of agree) {
    if (head !== actual) problems.push(`${name}: the head says ${head}, the rows ${actual}.`);
  }
  return problems;
}
