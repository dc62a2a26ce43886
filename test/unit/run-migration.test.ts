import { describe, expect, it } from 'vitest';
import { isLegacyParams, migrateRunParams, migrateRunRecord } from '../../src/core/train/spec/migrate-run';
import { validateHyper } from '../../src/core/train/spec/check-hyper';
import { validateSpec } from '../../src/core/train/spec/check-spec';
import { LEGACY_LINEAR_PARAMS, LEGACY_RUN } from '../fixtures/legacy-run';

describe('migrateRunRecord', () => {
  it('turns flat MLP params into the spec and hyperparameters that trained the same model', () => {
    const migrated = migrateRunRecord(structuredClone(LEGACY_RUN) as { params: unknown });
    expect(migrated.params).toEqual({
      spec: { family: 'mlp', layers: [{ units: 16, activation: 'tanh' }, { units: 16, activation: 'tanh' }], dropout: 0 },
      hyper: {
        optimizer: 'sgd',
        momentum: 0,
        learningRate: 0.05,
        schedule: { kind: 'constant' },
        batchSize: 32,
        epochs: 30,
        l2: 0,
        classWeights: 'none',
        earlyStopping: { enabled: false, monitor: 'val_loss', patience: 5, minDelta: 0, restoreBest: true },
        seed: 7,
      },
    });
    // Everything else of the record is kept as it was.
    const { params: _old, ...rest } = LEGACY_RUN;
    const { params: _new, ...migratedRest } = migrated as typeof LEGACY_RUN;
    expect(migratedRest).toEqual(rest);
    const params = migrated.params as { spec: unknown; hyper: unknown };
    expect(validateSpec(params.spec)).toEqual([]);
    expect(validateHyper(params.hyper)).toEqual([]);
  });

  it('maps zero hidden layers to the linear family', () => {
    expect(migrateRunParams(LEGACY_LINEAR_PARAMS).spec).toEqual({ family: 'linear' });
  });

  it('leaves a record already in the new shape untouched, so it can run twice', () => {
    const once = migrateRunRecord(structuredClone(LEGACY_RUN) as { params: unknown });
    expect(isLegacyParams(once.params)).toBe(false);
    expect(migrateRunRecord(once)).toBe(once);
  });
});
