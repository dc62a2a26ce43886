import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { entryData, listZip } from '../../src/core/data/images/zip';
import { checkLabel, isSystemFile, labelFromPath, unsafePath } from '../../src/core/data/images/paths';
import { zipClasses } from '../fixtures/image-files';

const fixture = (name: string) => new Uint8Array(readFileSync(`test/fixtures/hostile-images/${name}`));

describe('listZip', () => {
  it('lists a well-formed archive with sizes and offsets', () => {
    const zip = zipClasses(2);
    const listing = listZip(zip, 'classes.zip');
    if (!listing.ok) throw new Error(listing.message);
    const names = listing.entries.filter((e) => !e.directory).map((e) => e.name).sort();
    expect(names).toEqual(['__MACOSX/shapes/red/._0.png', 'shapes/blue/0.bmp', 'shapes/blue/1.bmp', 'shapes/blue/notes.png', 'shapes/red/0.png', 'shapes/red/1.png']);
    const red = listing.entries.find((e) => e.name === 'shapes/red/0.png')!;
    expect(entryData(zip, red)?.length).toBe(red.compressedSize);
  });

  it.each([
    ['zip-bomb-declared.zip', /declare more than 1024 MiB uncompressed \(a zip bomb/],
    ['zip-bomb-ratio.zip', /entry "circle\/zeros.bmp" would inflate \d+ times .* \(a zip bomb\)/],
    ['zip-slip.zip', /entry "..\/evil\/circle.png" is unsafe: its path climbs out of the archive/],
    ['zip-absolute-path.zip', /entry "\/etc\/circle\/a.png" is unsafe: it has an absolute path/],
    ['zip-nested.zip', /contains another archive \("square\/inner.zip"\)/],
  ])('refuses %s as a whole, naming the archive', (name, message) => {
    const listing = listZip(fixture(name), name);
    expect(listing.ok).toBe(false);
    if (!listing.ok) {
      expect(listing.message).toMatch(message);
      expect(listing.message.startsWith(`"${name}" was refused: `)).toBe(true);
    }
  });

  it('passes the lying bomb, whose declared sizes look harmless (the inflater catches it)', () => {
    expect(listZip(fixture('zip-bomb-actual.zip'), 'a.zip').ok).toBe(true);
  });

  it('refuses what is not a zip, or a truncated one', () => {
    expect(listZip(new TextEncoder().encode('not a zip at all'), 'x.zip')).toMatchObject({ ok: false, message: /not a zip archive/ });
    const zip = zipClasses(1);
    expect(listZip(zip.subarray(0, zip.length - 30), 'cut.zip').ok).toBe(false);
  });
});

describe('paths and labels', () => {
  it('takes the label from the folder a file sits in', () => {
    expect(labelFromPath('shapes/circle/1.png')).toBe('circle');
    expect(labelFromPath('circle/1.png')).toBe('circle');
    expect(labelFromPath('1.png')).toBeNull();
  });

  it('flags unsafe paths and system files', () => {
    expect(unsafePath('a/../../b.png')).toMatch(/climbs out/);
    expect(unsafePath('..\\b.png')).toMatch(/climbs out/);
    expect(unsafePath('C:/x.png')).toMatch(/absolute/);
    expect(unsafePath('a/b..c.png')).toBeNull();
    expect(isSystemFile('__MACOSX/a/._b.png')).toBe(true);
    expect(isSystemFile('a/.DS_Store')).toBe(true);
    expect(isSystemFile('a/b.png')).toBe(false);
  });

  it('checks user-given labels', () => {
    expect(checkLabel('  cat ')).toEqual({ ok: true, value: 'cat' });
    expect(checkLabel('  ').ok).toBe(false);
    expect(checkLabel('x'.repeat(101)).ok).toBe(false);
  });
});
