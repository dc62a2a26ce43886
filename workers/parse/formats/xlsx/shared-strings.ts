// The workbook's shared strings, in order: a text cell holds an index into them.

import { walkXml } from './xml';

export function readSharedStrings(xml: string | null): string[] {
  if (xml === null) return [];
  const strings: string[] = [];
  let current: string[] | null = null;
  let inText = false;
  // Phonetic guides (<rPh>) carry readings of East Asian text, not part of the shown value.
  let phonetic = 0;
  walkXml(xml, 'xl/sharedStrings.xml', {
    open(name) {
      if (name === 'si') current = [];
      else if (name === 'rPh') phonetic++;
      else if (name === 't' && phonetic === 0) inText = true;
    },
    close(name) {
      if (name === 'si' && current) {
        strings.push(current.join(''));
        current = null;
      } else if (name === 'rPh') phonetic--;
      else if (name === 't') inText = false;
    },
    text(value) {
      if (inText && current) current.push(value);
    },
  });
  return strings;
}
