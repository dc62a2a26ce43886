// A stored record as one JSON line of a backup, its binary fields (ArrayBuffer, typed arrays, DataView) taken out as
// separate entries and referenced from the JSON by index, with their kind, so a Float64Array comes back a Float64Array.
// JSON cannot hold NaN, Infinity, -0 or undefined in an array, which stored metrics and cells do hold: those are
// tagged too. A tag is an object with one key, TAG, that no stored record uses.

export const TAG = '$loopbench';

export const BINARY_KINDS = [
  'ArrayBuffer',
  'DataView',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
] as const;

export type BinaryKind = (typeof BINARY_KINDS)[number];

type Constructors = { [K in Exclude<BinaryKind, 'ArrayBuffer' | 'DataView'>]: new (buffer: ArrayBuffer) => ArrayBufferView };

const TYPED: Constructors = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
};

/** A binary field of a record: its bytes (a copy of exactly the view's range) and the kind to rebuild. */
export interface BinaryPart {
  kind: BinaryKind;
  bytes: Uint8Array<ArrayBuffer>;
}

export interface EncodedRecord {
  /** The record as JSON, binary fields replaced by { [TAG]: 'bin', i, kind } where i indexes `parts`. */
  json: string;
  parts: BinaryPart[];
}

function kindOf(value: object): BinaryKind | null {
  if (value instanceof ArrayBuffer) return 'ArrayBuffer';
  if (!ArrayBuffer.isView(value)) return null;
  const name = value.constructor.name;
  return (BINARY_KINDS as readonly string[]).includes(name) ? (name as BinaryKind) : null;
}

function copyBytes(value: ArrayBuffer | ArrayBufferView): Uint8Array<ArrayBuffer> {
  const view = value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return new Uint8Array(view);
}

/** `where` names the record in errors (store and key). */
export function encodeRecord(record: unknown, where: string): EncodedRecord {
  const parts: BinaryPart[] = [];
  const walk = (value: unknown, path: string): unknown => {
    if (typeof value === 'number') {
      if (Number.isNaN(value)) return { [TAG]: 'num', v: 'NaN' };
      if (value === Infinity) return { [TAG]: 'num', v: 'Infinity' };
      if (value === -Infinity) return { [TAG]: 'num', v: '-Infinity' };
      if (Object.is(value, -0)) return { [TAG]: 'num', v: '-0' };
      return value;
    }
    if (value === undefined) return { [TAG]: 'undefined' };
    if (typeof value === 'bigint' || typeof value === 'function' || typeof value === 'symbol') {
      throw new Error(`${where}: the field ${path || '(record)'} holds a ${typeof value}, which a backup cannot hold`);
    }
    if (value === null || typeof value !== 'object') return value;
    const kind = kindOf(value);
    if (kind !== null) {
      parts.push({ kind, bytes: copyBytes(value as ArrayBuffer | ArrayBufferView) });
      return { [TAG]: 'bin', i: parts.length - 1, kind };
    }
    if (value instanceof Date) return { [TAG]: 'date', v: value.getTime() };
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}[${i}]`));
    if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
      throw new Error(`${where}: the field ${path || '(record)'} is a ${value.constructor?.name ?? 'object'}, which a backup cannot hold`);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // An absent optional field stays absent, as structured cloning of the record would keep it undefined.
      if (v === undefined) continue;
      out[k] = walk(v, path ? `${path}.${k}` : k);
    }
    return out;
  };
  return { json: JSON.stringify(walk(record, '')), parts };
}

/** The record back from its JSON and its binary fields' bytes (by index); a bad reference says where. */
export function decodeRecord(json: string, bins: readonly Uint8Array[], where: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    throw new Error(`${where}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  return decodeParsed(parsed, bins, where);
}

/** As decodeRecord, from JSON already parsed. Each of `bins` may be referenced once: its buffer may be reused. */
export function decodeParsed(parsed: unknown, bins: readonly Uint8Array[], where: string): unknown {
  const walk = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map(walk);
    const obj = value as Record<string, unknown>;
    if (TAG in obj) return untag(obj, bins, where);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) out[k] = walk(v);
    return out;
  };
  return walk(parsed);
}

function untag(obj: Record<string, unknown>, bins: readonly Uint8Array[], where: string): unknown {
  switch (obj[TAG]) {
    case 'undefined':
      return undefined;
    case 'date':
      return new Date(obj.v as number);
    case 'num': {
      const numbers: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };
      if (typeof obj.v !== 'string' || !(obj.v in numbers)) throw new Error(`${where}: an unknown number tag ${String(obj.v)}`);
      return numbers[obj.v];
    }
    case 'bin': {
      const bytes = typeof obj.i === 'number' ? bins[obj.i] : undefined;
      if (!bytes) throw new Error(`${where}: its binary field ${String(obj.i)} is missing`);
      if (!(BINARY_KINDS as readonly unknown[]).includes(obj.kind)) throw new Error(`${where}: an unknown binary kind ${String(obj.kind)}`);
      return rebuild(obj.kind as BinaryKind, bytes, where);
    }
    default:
      throw new Error(`${where}: an unknown tag ${String(obj[TAG])}`);
  }
}

function rebuild(kind: BinaryKind, bytes: Uint8Array, where: string): ArrayBuffer | ArrayBufferView {
  // The bytes' own buffer when they fill it (an entry just unzipped), else a copy: typed arrays need their element
  // alignment, and a record must not share memory with anything else.
  const whole = bytes.byteOffset === 0 && bytes.buffer instanceof ArrayBuffer && bytes.buffer.byteLength === bytes.byteLength;
  const buffer = whole ? (bytes.buffer as ArrayBuffer) : new Uint8Array(bytes).buffer;
  if (kind === 'ArrayBuffer') return buffer;
  if (kind === 'DataView') return new DataView(buffer);
  const Typed = TYPED[kind];
  const size = (Typed as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  if (bytes.byteLength % size !== 0) throw new Error(`${where}: a ${kind} of ${bytes.byteLength} bytes is not a whole number of elements`);
  return new Typed(buffer);
}
