// What a pipeline run's stages found and made, kept on the run so its page can show the evidence behind every
// decision after a reload: the data it trained on, each test's result, the candidate and baseline figures, the gate.

import type { BehaviourResult } from '../gates/behaviour-types';
import type { DataTestResult } from '../gates/data-tests';
import type { SmokeResult } from '../gates/pipeline-checks';
import type { GateDecision, GateFigures } from '../gates/types';
import type { ValidationReport } from '../../data/expectations';

export interface ReproductionCheck {
  runId: string;
  metric: string;
  original: number;
  replay: number;
  tolerance: number;
  passed: boolean;
}

export interface ParityCheck {
  rows: number;
  /** Rows whose answer differs (another class, or a value or probability further apart than `tolerance`). */
  mismatches: number;
  maxDifference: number;
  tolerance: number;
  passed: boolean;
  /** The first few differing rows, as "row 3: app 0.81, bundle 0.79". */
  examples: string[];
}

export interface CandidateFigures {
  /** The registered model and version the run produced. */
  model: string;
  version: number;
  candidate: GateFigures;
  /** Null when the alias pointed at nothing, or the baseline could not be scored on these rows (`baselineNote` says why). */
  baseline: GateFigures | null;
  baselineVersion: number | null;
  baselineNote: string | null;
}

export interface RunOutputs {
  /** The dataset version the source resolved to. */
  sourceVersionId?: string;
  /** The version trained on: the source, or what the pipeline's recipe made of it. */
  versionId?: string;
  validation?: ValidationReport;
  data?: DataTestResult[];
  smoke?: SmokeResult;
  /** The training run that became the candidate (a sweep's best). */
  runId?: string;
  /** A sweep's runs, best first by the goal on validation. */
  sweepRuns?: string[];
  reproduction?: ReproductionCheck;
  figures?: CandidateFigures;
  behaviour?: BehaviourResult[];
  parity?: ParityCheck;
  gate?: GateDecision;
  /**
   * Milliseconds spent in the work a pipeline exists to order: training (every run, the smoke test and a
   * reproduction included) and scoring in the predictor. The rest of a run's time is the pipeline's own overhead.
   */
  workMs?: { training: number; evaluation: number };
  /** Set when the promote stage moved the alias. */
  promoted?: { model: string; alias: string; from: number | null; to: number };
}
