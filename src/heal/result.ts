/**
 * What a heal run produces: the attempts, the seed's metrics and the whole result. Its own
 * module so the report (which renders it) and the loop (which builds it) depend on it, not on
 * each other.
 */
import type { AggregateSnapshot } from '../core/aggregate.ts';
import type { CheckReport } from '../core/check/index.ts';
import type { Diagnosis } from '../core/diagnose.ts';
import type { SessionFile } from '../core/session.ts';
import type { SpecFile } from '../core/spec.ts';
import type { TestProof } from './prove.ts';
import type { GeneratedFile } from './testgen.ts';
import type { FixVerdict, Verification } from './verify.ts';

export type AttemptVerdict = FixVerdict | 'not-applicable' | 'build-failed';

export interface Attempt {
  diagnosis: Diagnosis;
  verdict: AttemptVerdict;
  reasons: string[];
  diff: string | null;
  edits: string[];
  verification: Verification | null;
  branch: string | null;
  commit: string | null;
  tests: GeneratedFile[];
  docs: string[];
  pr: string | null;
  /** The generated tests' proofs: run on the base and the fixed build before delivery (delivered or not). */
  proofs?: TestProof[];
  /** Improved, but another fix of the same handler improved it more: that one (its diagnosis id) gets the branch. */
  supersededBy?: string;
}

export interface HealMetrics {
  /** % of documented handlers whose observed behaviour matches their docs (baseline). */
  documentationAccuracy: number | null;
  /** Discrepancies (over budget, drift, error rate, transition share) with at least one diagnosis explaining them. */
  issueDetectionRate: number | null;
  /** Of the fixes tried (codemod applied and built), the share verified as improved. */
  fixSuccessRate: number | null;
  /** Of the fixable suggestions, the share delivered as a branch without human help. */
  autoAppliedRate: number | null;
}

export interface HealResult {
  head: string;
  baseline: { runs: number; snapshot: AggregateSnapshot; sessions: SessionFile[] };
  check: CheckReport;
  spec: SpecFile | null;
  diagnoses: Diagnosis[];
  attempts: Attempt[];
  metrics: HealMetrics;
  /** Wall time of each phase (ms). */
  timings: Record<string, number>;
  reportFiles: string[];
}
