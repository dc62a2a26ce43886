export { crc32 } from './crc32';
export { readDirectory, type ZipEntry, type ZipLimits } from './directory';
export { cappedInflater, inflateEntries, inflateEntry, type CappedInflate, type StreamingInflater } from './inflate';
export { MAX_PATH_CHARS, pathProblem } from './paths';
export { ZipRefusal, type ZipProblem } from './refusal';
