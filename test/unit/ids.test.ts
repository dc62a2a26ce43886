import { expect, it } from 'vitest';
import { newId } from '../../src/core/shared/ids';

it('makes distinct prefixed UUIDs', () => {
  const a = newId('run');
  expect(a).toMatch(/^run-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(newId('run')).not.toBe(a);
});
