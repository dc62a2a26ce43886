// Lesson: experiments that can be trusted: one change at a time, a sweep instead of guesses, a run replayed
// exactly, and a note of what was learned.

import { flattenParams } from '../evaluate/runs/flatten';
import { compareReproduction, REPRODUCES_TAG, verdictOf } from '../evaluate/runs/reproduce';
import { noteOf } from '../evaluate/runs/tags';
import { SWEEP_TAG } from '../train/sweep/types';
import type { Run } from '../shared/types';
import { done, figure, finishedRuns, newest, notYet } from './evidence';
import type { Lesson, LessonStep } from './types';

/** Differences shown in the evidence; the rest are counted. */
const SHOWN = 3;

/** The parameters in which `b` differs from `a`, as "key a → b". */
function changes(a: Run, b: Run): string[] {
  const pa = flattenParams(a.params);
  const pb = flattenParams(b.params);
  const keys = [...new Set([...Object.keys(pa), ...Object.keys(pb)])].sort();
  return keys.filter((k) => !Object.is(pa[k], pb[k])).map((k) => `${k} ${String(pa[k] ?? '–')} → ${String(pb[k] ?? '–')}`);
}

function listed(items: readonly string[]): string {
  return items.slice(0, SHOWN).join(', ') + (items.length > SHOWN ? ` and ${items.length - SHOWN} more` : '');
}

const oneChange: LessonStep = {
  id: 'change',
  title: 'Change one thing and train again',
  stage: 'train',
  todo: 'In Train, change one setting of the last run (the learning rate, say) and choose Train; then in Evaluate tick both runs and choose Compare selected.',
  why: 'A run that differs from another in one setting tells what that setting does; change three at once and nobody can say which one helped.',
  check: ({ runs, project }) => {
    const finished = finishedRuns(runs).sort((x, y) => (y.endedAt ?? y.startedAt) - (x.endedAt ?? x.startedAt));
    const [latest] = finished;
    if (!latest) return notYet();
    // The newest run and the newest earlier one on the same data that differs from it.
    for (const earlier of finished.slice(1)) {
      if (earlier.datasetId !== latest.datasetId) continue;
      const diff = changes(earlier, latest);
      if (diff.length === 0) continue;
      const metric = project.goal.metric;
      return done(
        `Run "${latest.name}" differs from "${earlier.name}" in ${listed(diff)}: test ${metric} ${figure(earlier.metrics[metric])} → ${figure(latest.metrics[metric])}.`,
      );
    }
    return notYet(finished.length === 1 ? 'One finished run: train another that differs in one setting.' : 'The finished runs on the same data have the same settings.');
  },
};

const sweep: LessonStep = {
  id: 'sweep',
  title: 'Search with a sweep',
  stage: 'train',
  todo: 'In Train, under Sweep, vary a setting over a few values (learning rates 0.001, 0.01 and 0.1, say) and choose Start sweep.',
  why: 'A sweep trains every combination (or a random sample) with the rest held fixed and tags the runs, so the comparison is systematic and every candidate stays on record.',
  check: ({ runs, project }) => {
    const bySweep = new Map<string, Run[]>();
    for (const run of finishedRuns(runs)) {
      const id = Object.hasOwn(run.tags, SWEEP_TAG) ? run.tags[SWEEP_TAG] : null;
      if (id !== null) bySweep.set(id, [...(bySweep.get(id) ?? []), run]);
    }
    const sweeps = [...bySweep.values()].filter((r) => r.length >= 2);
    const latest = newest(sweeps, (r) => Math.max(...r.map((x) => x.endedAt ?? x.startedAt)));
    if (!latest) return notYet();
    const metric = project.goal.metric;
    const values = latest.map((r) => r.metrics[metric]).filter((v) => v !== undefined && !Number.isNaN(v));
    const range = values.length > 0 ? `: test ${metric} from ${figure(Math.min(...values))} to ${figure(Math.max(...values))}` : '';
    return done(`A sweep of ${latest.length} finished runs${range}.`);
  },
};

const reproduce: LessonStep = {
  id: 'reproduce',
  title: 'Reproduce a run',
  stage: 'evaluate',
  todo: 'In Evaluate, choose Reproduce beside a finished run: Loopbench trains it again from its record and compares every figure.',
  why: 'A result that cannot be produced again cannot be trusted or debugged: the same data version, settings, seed and backend must give the same numbers, digit for digit.',
  check: ({ runs }) => {
    const replay = newest(
      finishedRuns(runs).filter((r) => Object.hasOwn(r.tags, REPRODUCES_TAG)),
      (r) => r.endedAt ?? r.startedAt,
    );
    if (!replay) return notYet();
    const original = runs.find((r) => r.id === replay.tags[REPRODUCES_TAG]);
    if (!original) return done(`Run "${replay.name}" replayed a run since deleted.`);
    const compared = compareReproduction(original, replay);
    const head = `Run "${replay.name}" replayed "${original.name}"`;
    if (compared.identical || compared.rows.length === 0) return done(`${head}: ${verdictOf(compared)}`);
    const rows = compared.rows.map((r) => `${r.key} ${figure(r.original ?? undefined)} → ${figure(r.reproduction ?? undefined)}`);
    const why = compared.recordDifferences.map((d) => d.field);
    return done(
      `${head}, not exactly: ${listed(rows)}.` + (why.length > 0 ? ` The records differ in ${listed(why)}, which can explain it.` : ' The records are the same.'),
    );
  },
};

const note: LessonStep = {
  id: 'note',
  title: 'Write down what you learned',
  stage: 'evaluate',
  todo: 'In Evaluate, choose Tags and note beside a run, write what it tried and what it showed, and choose Save note.',
  why: 'A note kept with the run (MLflow keeps it as a tag) is how the next person, or you in a month, learns why this run exists without training it again.',
  check: ({ runs }) => {
    const noted = newest(
      runs.filter((r) => noteOf(r.tags).trim() !== ''),
      (r) => r.endedAt ?? r.startedAt,
    );
    if (!noted) return notYet();
    const text = noteOf(noted.tags).trim();
    return done(`Note on "${noted.name}": "${text.length > 120 ? `${text.slice(0, 117)}…` : text}"`);
  },
};

export const EXPERIMENTS_LESSON: Lesson = {
  id: 'experiments',
  title: 'Experiments you can repeat',
  summary: 'Tracking experiments: one change at a time, a sweep instead of guesses, a run replayed digit for digit, and a note of what each run taught.',
  steps: [oneChange, sweep, reproduce, note],
};
