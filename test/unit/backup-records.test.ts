// A record's binary fields leave the JSON as separate parts and come back as the same typed-array kinds; numbers JSON
// cannot hold survive; what a backup cannot hold is refused, naming the field.

import { describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecord } from '../../src/core/shared/backup/records';

describe('backup record encoding', () => {
  it('takes binary fields out as parts and rebuilds their kinds', () => {
    const view = new Float64Array([9, 1.5, -2, 9]).subarray(1, 3);
    const record = {
      id: 'c1',
      data: new Uint8Array([1, 2, 3]).buffer,
      nested: { values: view, codes: new Int32Array([-1, 7]), list: [new Float32Array([0.5]), new Uint16Array([65535])] },
      dictionary: ['=x', 'y'],
    };
    const { json, parts } = encodeRecord(record, 'test');
    expect(json).not.toContain('1.5');
    expect(parts.map((p) => [p.kind, p.bytes.byteLength])).toEqual([
      ['ArrayBuffer', 3],
      ['Float64Array', 16],
      ['Int32Array', 8],
      ['Float32Array', 4],
      ['Uint16Array', 2],
    ]);
    const back = decodeRecord(json, parts.map((p) => p.bytes), 'test') as typeof record;
    expect(back).toEqual({ ...record, nested: { ...record.nested, values: new Float64Array([1.5, -2]) } });
    expect(back.data).toBeInstanceOf(ArrayBuffer);
    expect(back.nested.values).toBeInstanceOf(Float64Array);
    expect(back.nested.codes).toBeInstanceOf(Int32Array);
    expect(back.nested.list[1]).toBeInstanceOf(Uint16Array);
  });

  it('keeps NaN, infinities, -0, dates and undefined array slots', () => {
    const record = { m: { a: NaN, b: Infinity, c: -Infinity, d: -0 }, at: new Date(5), slots: [1, undefined, 3] };
    const { json, parts } = encodeRecord(record, 'test');
    const back = decodeRecord(json, parts.map((p) => p.bytes), 'test') as typeof record;
    expect(back.m.a).toBeNaN();
    expect(back.m.b).toBe(Infinity);
    expect(back.m.c).toBe(-Infinity);
    expect(Object.is(back.m.d, -0)).toBe(true);
    expect(back.at).toEqual(new Date(5));
    expect(back.slots).toEqual([1, undefined, 3]);
  });

  it('refuses what it cannot hold and a reference to a missing part, saying where', () => {
    expect(() => encodeRecord({ id: 'r', big: 1n }, 'store runs')).toThrow('store runs: the field big holds a bigint');
    expect(() => encodeRecord({ id: 'r', when: new Map() }, 'store runs')).toThrow('store runs: the field when is a Map');
    const { json } = encodeRecord({ data: new Uint8Array(2) }, 'x');
    expect(() => decodeRecord(json, [], 'chunks line 3')).toThrow('chunks line 3: its binary field 0 is missing');
    expect(() => decodeRecord(json.replace('Uint8Array', 'Float64Array'), [new Uint8Array(3)], 'chunks line 3')).toThrow('not a whole number of elements');
  });
});
