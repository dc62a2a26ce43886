import { describe, expect, it } from 'vitest';
import { caseVariantNote } from '../../src/core/data/case-variants';
import { guessColumns, type TextTable } from '../../src/core/data/type-guess';

describe('caseVariantNote', () => {
  it('names values that differ only in case, trimmed, missing spellings aside', () => {
    expect(caseVariantNote(['Yes', 'no', ' yes', 'NA', 'N/A', 'No'])).toBe(
      'Some values differ only in letter case, so they are different categories: "Yes" and "yes"; "No" and "no". If they mean the same, write them one way in the file.',
    );
  });

  it('says nothing when every value is spelled one way', () => {
    expect(caseVariantNote(['Adelie', 'Gentoo', ' Adelie ', 'Chinstrap', ''])).toBeNull();
  });

  it('shows three groups and counts the rest', () => {
    const note = caseVariantNote(['a', 'A', 'b', 'B', 'c', 'C', 'd', 'D', 'e', 'E']);
    expect(note).toContain('"A" and "a"; "B" and "b"; "C" and "c" (and 2 more)');
  });
});

describe('the import notes case variants on category columns only', () => {
  it('notes a hand-typed yes/no column, not a number column', () => {
    const rows = [['TRUE', 'yes', '1'], ['FALSE', 'No', '2'], ['true', 'Yes', '3'], ['false', 'no', '4']];
    const raw: TextTable = {
      header: ['flag', 'answer', 'n'],
      columns: [0, 1, 2].map((c) => rows.map((r) => r[c]!)),
      rowCount: rows.length,
      lines: Int32Array.from(rows, (_, i) => i + 2),
    };
    const [flag, answer, n] = guessColumns(raw);
    expect(flag!.notes).toContainEqual(expect.stringMatching(/^Some values differ only in letter case.*"TRUE" and "true"; "FALSE" and "false"/));
    expect(answer!.notes).toContainEqual(expect.stringMatching(/"Yes" and "yes"; "No" and "no"/));
    expect(n!.notes ?? []).toEqual([]);
  });
});
