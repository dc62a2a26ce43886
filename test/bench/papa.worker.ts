// The import baseline: plain papaparse reading the same File in a worker of its own, nothing else.
// `worker: false` because this already is the worker; no typing, no header handling, rows only counted
// once parsed, so the baseline is papaparse's parse and nothing Loopbench-specific.

import Papa from 'papaparse';
import { expose } from 'comlink';
import type { PapaParseApi, PapaParseResult } from './import-protocol';

function parse(file: File): Promise<PapaParseResult> {
  return new Promise((resolve, reject) => {
    Papa.parse<string[]>(file, {
      worker: false,
      header: false,
      dynamicTyping: false,
      skipEmptyLines: true,
      complete: (results) => {
        // The header line is a row here (header: false); Loopbench counts data rows only.
        const rows = Math.max(0, results.data.length - 1);
        resolve({ rows, fields: results.data[0]?.length ?? 0, errors: results.errors.length });
      },
      error: (error) => reject(error),
    });
  });
}

const api: PapaParseApi = { parse };
expose(api);
