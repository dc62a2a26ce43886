// Which cell styles show a number as a date: Excel stores a date as a day count and only its number format says so.

import { walkXml } from './xml';

/** Built-in number formats that show dates or times (ECMA-376 18.8.30, and the East Asian date formats). */
const BUILT_IN_DATES = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** A custom format code shows a date when, outside quoted text, escapes and [brackets], it has d, m, y, h or s. */
export function isDateFormat(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[[^\]]*\]/g, '');
  // "General" and number formats with an exponent ("0.00E+00") have letters too.
  return /[dmyhs]/i.test(bare.replace(/General/gi, '').replace(/E[+-]/g, ''));
}

/** Per cell style index (a cell's `s`), whether it shows a date. */
export function dateStyles(stylesXml: string | null): boolean[] {
  if (stylesXml === null) return [];
  const custom = new Map<number, string>();
  const styles: boolean[] = [];
  let inCellXfs = false;
  walkXml(stylesXml, 'xl/styles.xml', {
    open(name, attrs) {
      if (name === 'numFmt') {
        const a = attrs();
        custom.set(Number(a.numFmtId), a.formatCode ?? '');
      } else if (name === 'cellXfs') {
        inCellXfs = true;
      } else if (name === 'xf' && inCellXfs) {
        const id = Number(attrs().numFmtId ?? 0);
        const code = custom.get(id);
        styles.push(code === undefined ? BUILT_IN_DATES.has(id) : isDateFormat(code));
      }
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
  });
  return styles;
}
