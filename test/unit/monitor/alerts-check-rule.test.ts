import { describe, expect, it } from 'vitest';
import { ALERT_SIGNALS, SIGNALS, checkRule, checkRules, describeRule, windowKey, type AlertRule, type RuleProblem } from '../../../src/core/monitor/alerts';

const base = (): AlertRule => ({
  id: 'r1',
  name: 'Errors climb',
  signal: 'error_rate',
  window: { kind: 'count', size: 500 },
  comparator: '>',
  threshold: 0.05,
  for: 3,
  severity: 'critical',
});

/** The rule as JSON, with changes applied, as a file or a form would give it. */
function edited(change: (d: Record<string, any>) => void): unknown {
  const d = JSON.parse(JSON.stringify(base()));
  change(d);
  return d;
}

function problems(def: unknown, known = {}): RuleProblem[] {
  const r = checkRule(def, known);
  return r.ok ? [] : r.problems;
}
const paths = (def: unknown, known = {}) => problems(def, known).map((p) => p.path).sort();

describe('checkRule', () => {
  it('accepts a full rule and returns it typed', () => {
    expect(checkRule(base())).toEqual({ ok: true, rule: base() });
    const drift = { ...base(), signal: 'feature_drift', column: 'bill_length_mm', comparator: '>=', threshold: 0.1, window: { kind: 'time', ms: 3_600_000 }, description: 'x' };
    expect(problems(drift, { columns: ['bill_length_mm', 'island'] })).toEqual([]);
  });

  it('refuses what is not an object', () => {
    expect(paths(null)).toEqual(['']);
    expect(paths([base()])).toEqual(['']);
  });

  it('locates every top-level problem, unknown fields included', () => {
    const p = paths(edited((d) => {
      d.id = ' ';
      d.name = 'x'.repeat(101);
      d.signal = 'cpu';
      d.comparator = '==';
      d.threshold = Number.NaN;
      d.for = 0;
      d.severity = 'page';
      d.labels = {};
    }));
    expect(p).toEqual(['comparator', 'for', 'id', 'labels', 'name', 'severity', 'signal', 'threshold']);
    expect(paths(edited((d) => delete d.threshold))).toEqual(['threshold']);
    expect(paths(edited((d) => (d.description = '')))).toEqual(['description']);
  });

  it('locates window problems by path', () => {
    expect(paths(edited((d) => (d.window = 5)))).toEqual(['window']);
    expect(paths(edited((d) => (d.window = { kind: 'rows', size: 5 })))).toEqual(['window.kind']);
    expect(paths(edited((d) => (d.window = { kind: 'count', size: 0 })))).toEqual(['window.size']);
    expect(paths(edited((d) => (d.window = { kind: 'count', size: 2.5 })))).toEqual(['window.size']);
    expect(paths(edited((d) => (d.window = { kind: 'time', ms: -1 })))).toEqual(['window.ms']);
    expect(paths(edited((d) => (d.window = { kind: 'time', ms: 60_000, size: 5 })))).toEqual(['window.size']);
  });

  it('says what "for" means when it is out of range', () => {
    const [p] = problems(edited((d) => (d.for = 0)));
    expect(p.path).toBe('for');
    expect(p.message).toMatch(/1 fires on the first window/);
    expect(paths(edited((d) => (d.for = 1.5)))).toEqual(['for']);
    expect(paths(edited((d) => (d.for = 1)))).toEqual([]);
  });

  it('refuses a threshold the signal can never cross, or always crosses', () => {
    const never = problems(edited((d) => (d.threshold = 1)));
    expect(never.map((p) => p.path)).toEqual(['threshold']);
    expect(never[0].message).toMatch(/can never hold: error_rate \(share\) runs from 0 to 1/);
    const always = problems(edited((d) => { d.comparator = '>='; d.threshold = 0; }));
    expect(always[0].message).toMatch(/always holds/);
    expect(paths(edited((d) => { d.signal = 'requests'; d.comparator = '<'; d.threshold = 0; }))).toEqual(['threshold']);
    // Unbounded above: any upper threshold can be crossed, and "< 1 request" means "no traffic".
    expect(paths(edited((d) => { d.signal = 'requests'; d.comparator = '<'; d.threshold = 1; }))).toEqual([]);
    expect(paths(edited((d) => { d.signal = 'latency_p99_ms'; d.threshold = 1e9; }))).toEqual([]);
    expect(paths(edited((d) => { d.signal = 'accuracy_realized'; d.comparator = '<='; d.threshold = 1; }))).toEqual(['threshold']);
  });

  it('needs a column for per-feature signals, allows one for missing_share, refuses it elsewhere', () => {
    expect(paths(edited((d) => (d.signal = 'feature_drift')))).toEqual(['column']);
    expect(paths(edited((d) => (d.signal = 'missing_share')))).toEqual([]);
    expect(paths(edited((d) => { d.signal = 'missing_share'; d.column = 'island'; }))).toEqual([]);
    expect(paths(edited((d) => (d.column = 'island')))).toEqual(['column']);
    expect(paths(edited((d) => { d.signal = 'feature_drift'; d.column = 7; }))).toEqual(['column']);
  });

  it('checks the column and the task against what is known of the model', () => {
    const unknown = problems(edited((d) => { d.signal = 'feature_drift'; d.column = 'sex'; }), { columns: ['island', 'bill'] });
    expect(unknown).toEqual([{ path: 'column', message: 'unknown column "sex"; the model\'s input columns are island, bill' }]);
    expect(paths(edited((d) => { d.signal = 'feature_drift'; d.column = 'sex'; }))).toEqual([]);
    const task = problems(edited((d) => { d.signal = 'accuracy_realized'; d.comparator = '<'; d.threshold = 0.8; }), { task: 'regression' });
    expect(task.map((p) => p.path)).toEqual(['signal']);
    expect(task[0].message).toMatch(/classification models only/);
    expect(paths(edited((d) => { d.signal = 'mae_realized'; d.threshold = 3; }), { task: 'regression' })).toEqual([]);
  });

  it('documents every signal with a meaning and a range', () => {
    for (const s of ALERT_SIGNALS) {
      expect(SIGNALS[s].meaning.length).toBeGreaterThan(20);
      expect(SIGNALS[s].min).toBeLessThan(SIGNALS[s].max);
    }
    expect(ALERT_SIGNALS).toContain('unseen_category_share');
  });
});

describe('checkRules', () => {
  it('accepts distinct rules', () => {
    const list = [base(), { ...base(), id: 'r2' }];
    expect(checkRules(list)).toEqual({ ok: true, rules: list });
  });

  it('prefixes problems with the rule index and refuses duplicate ids', () => {
    const r = checkRules([base(), { ...base(), threshold: 'high' }, { ...base() }, 3]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([
      { path: '[1].threshold', message: '"threshold" must be a finite number' },
      { path: '[1].id', message: 'id "r1" is already used by rule [0]' },
      { path: '[2].id', message: 'id "r1" is already used by rule [0]' },
      { path: '[3]', message: 'an alert rule must be an object' },
    ]);
    expect(checkRules({})).toEqual({ ok: false, problems: [{ path: '', message: 'alert rules must be a list of rule objects' }] });
  });
});

describe('describeRule and windowKey', () => {
  it('reads as a sentence', () => {
    expect(describeRule(base())).toBe('error_rate > 0.05 for 3 windows of 500 requests in a row');
    expect(describeRule({ ...base(), for: 1, signal: 'feature_drift', column: 'bill', window: { kind: 'time', ms: 7_200_000 } })).toBe(
      'feature_drift(bill) > 0.05 in a window of 2 hours',
    );
    expect(describeRule({ ...base(), window: { kind: 'time', ms: 1500 } })).toMatch(/of 1500 ms in a row$/);
  });

  it('groups rules that close their windows together', () => {
    expect(windowKey({ kind: 'count', size: 500 })).toBe(windowKey(base().window));
    expect(windowKey({ kind: 'count', size: 500 })).not.toBe(windowKey({ kind: 'time', ms: 500 }));
  });
});
