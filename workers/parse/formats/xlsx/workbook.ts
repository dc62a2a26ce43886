// The workbook's sheets in tab order, each with the part that holds its cells, and its date system.

import { walkXml } from './xml';

export interface SheetRef {
  name: string;
  /** The zip entry of the sheet's cells, e.g. "xl/worksheets/sheet1.xml". */
  part: string;
  hidden: boolean;
}

export interface Workbook {
  sheets: SheetRef[];
  /** Dates count days from 1904-01-01 (old Mac workbooks) instead of 1899-12-30. */
  date1904: boolean;
}

/** A relationship target as a zip entry name: relative to xl/, or absolute from the package root. */
function partName(target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = ['xl'];
  for (const segment of target.split('/')) {
    if (segment === '..') parts.pop();
    else if (segment !== '.' && segment !== '') parts.push(segment);
  }
  return parts.join('/');
}

export function readWorkbook(workbookXml: string, relsXml: string): Workbook {
  const targets = new Map<string, string>();
  walkXml(relsXml, 'xl/_rels/workbook.xml.rels', {
    open(name, attrs) {
      if (name !== 'Relationship') return;
      const { Id, Target } = attrs();
      if (Id && Target) targets.set(Id, Target);
    },
  });
  const sheets: SheetRef[] = [];
  let date1904 = false;
  walkXml(workbookXml, 'xl/workbook.xml', {
    open(name, attrs) {
      if (name === 'workbookPr') {
        const value = attrs().date1904;
        date1904 = value === '1' || value === 'true';
      } else if (name === 'sheet') {
        const a = attrs();
        // The relationship id's prefix varies with the producer ("r:id"); its local name does not.
        const id = Object.entries(a).find(([key]) => key === 'id' || key.endsWith(':id'))?.[1];
        const target = id === undefined ? undefined : targets.get(id);
        if (target === undefined) return;
        sheets.push({ name: a.name ?? `Sheet ${sheets.length + 1}`, part: partName(target), hidden: a.state === 'hidden' || a.state === 'veryHidden' });
      }
    },
  });
  return { sheets, date1904 };
}
