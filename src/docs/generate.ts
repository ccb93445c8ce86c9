/**
 * `homeostat docs`: regenerates HANDLER_SPECS.md, SEQUENCE_FLOWS.md, PERFORMANCE.md, ERRORS.md
 * and homeostat.spec.json from the code analysis and the telemetry, keeping what people wrote
 * (budget and tolerance lines, human regions, defaults). Every existing file is parsed before
 * anything is written; on any error nothing is overwritten, and the writes are atomic.
 */
import { join, resolve } from 'node:path';
import { Aggregator, aggregateSession } from '../core/aggregate.ts';
import { checkObserved, checkSpec, observeField } from '../core/check/index.ts';
import type { FieldSnapshot } from '../core/field/merge.ts';
import type { SessionFile } from '../core/session.ts';
import { emptySpec, type SpecFile } from '../core/spec.ts';
import type { ProjectAnalysis } from './analyze.ts';
import { buildSpec, sourcesByName } from './build-spec.ts';
import type { RenderContext } from './context.ts';
import { Regions } from './regions.ts';
import { renderErrors } from './render-errors.ts';
import { renderHandlerSpecs } from './render-handlers.ts';
import { renderPerformance } from './render-performance.ts';
import { readProduction } from './render-production.ts';
import { renderSequenceFlows } from './render-sequences.ts';
import { applyMarkdownBudgets, ERRORS, HANDLER_SPECS, PERFORMANCE, readDocsDir, SEQUENCE_FLOWS, SPEC_FILE } from './spec-file.ts';
import { mergeSpec, spliceDoc } from './rebaseline.ts';
import { writeFilesAtomically } from './write.ts';
import { diagnose } from '../core/diagnose.ts';
import { defaultEvidenceSources, findTestEvidence, type EvidenceSources } from './test-evidence.ts';
import { docsCoverage, type DocsCoverage } from './coverage.ts';

export { readDocs } from './spec-file.ts';

export interface GenerateOptions {
  /** App source root, used for source links. */
  root: string;
  docsDir: string;
  sessions: SessionFile[];
  analysis?: ProjectAnalysis;
  app?: string | null;
  /** Fallback date of baselines when the sessions carry none (tests). */
  now?: Date;
  /** Merged field data (`homeostat docs --field`): field baselines beside the local ones. */
  field?: FieldSnapshot;
  /**
   * Re-baseline only these handlers (heal's delivery of a fix, `homeostat docs --only`): their
   * sections, summary rows and the sequences they are in come from `sessions`; every other
   * handler and sequence keeps what the docs on disk say (only code facts the analysis moved are
   * updated). Without docs on disk, everything is generated.
   */
  only?: readonly string[];
  /**
   * Where the tests and recorded flows that cover handlers are (default: `flows` beside the
   * source root, `e2e`/`tests` beside the nearest package.json, test files under the root);
   * `false` leaves the tests block empty.
   */
  evidence?: EvidenceSources | false;
}

/** What a partial regeneration re-baselined. */
export interface Regenerated {
  handlers: string[];
  sequences: string[];
}

/** Regenerates the docs in `docsDir`; resolves to the files written and the new spec. */
export async function generateDocs(options: GenerateOptions): Promise<{ files: string[]; spec: SpecFile; regenerated?: Regenerated; coverage: DocsCoverage }> {
  const docsDir = resolve(options.docsDir);
  const root = resolve(options.root);
  const onDisk = await readDocsDir(docsDir);
  const regions: Record<string, Regions> = {};
  for (const [name, found] of Object.entries(onDisk.regions)) regions[name] = new Regions(found);
  let previous = onDisk.spec;
  if (!previous) {
    // No spec file (first run, or it was deleted): budgets people wrote in the markdown still count.
    previous = emptySpec(options.app ?? null);
    applyMarkdownBudgets(previous, onDisk.markdown, docsDir);
  }

  const aggregator = new Aggregator();
  for (const s of options.sessions) aggregateSession(s, aggregator);
  const snapshot = aggregator.snapshot();
  const built = buildSpec({
    previous,
    snapshot,
    sessions: options.sessions,
    analysis: options.analysis,
    app: options.app,
    docsDir,
    root,
    now: options.now ?? new Date(0),
    ...(options.field ? { field: options.field } : {}),
  });
  const partial = options.only && onDisk.spec ? mergeSpec(onDisk.spec, built, new Set(options.only), snapshot) : null;
  const spec = partial?.spec ?? built;
  const ctx: RenderContext = {
    spec,
    snapshot,
    sources: sourcesByName(options.analysis),
    // With only field data, the statuses come from it (held against the field baselines).
    report: options.sessions.length === 0 && options.field ? checkObserved(spec, observeField(options.field)) : checkSpec(spec, options.sessions),
    ...(options.field ? { field: options.field } : {}),
    production: await readProduction(docsDir),
    sessions: options.sessions,
    docsDir,
    root,
    evidence: options.evidence === false ? new Map() : findTestEvidence(options.analysis?.handlers ?? [], options.evidence ?? defaultEvidenceSources(root), docsDir),
    ...(options.sessions.length > 0 ? { diagnoses: diagnose({ spec, aggregates: snapshot, analysis: options.analysis?.handlers ?? [] }) } : {}),
  };
  const rendered: Record<string, string> = {
    [HANDLER_SPECS]: renderHandlerSpecs(ctx, regions[HANDLER_SPECS]!),
    [SEQUENCE_FLOWS]: renderSequenceFlows(ctx, regions[SEQUENCE_FLOWS]!),
    [PERFORMANCE]: renderPerformance(ctx, regions[PERFORMANCE]!),
    [ERRORS]: renderErrors(ctx, regions[ERRORS]!),
  };
  if (partial) {
    for (const [name, text] of Object.entries(rendered)) {
      const old = onDisk.markdown[name];
      if (old != null) rendered[name] = spliceDoc(name, old, text, partial.targets);
    }
  }
  const files = [
    ...Object.entries(rendered).map(([name, content]) => ({ path: join(docsDir, name), content })),
    { path: join(docsDir, SPEC_FILE), content: `${JSON.stringify(spec, null, 2)}\n` },
  ];
  await writeFilesAtomically(files);
  return { files: files.map((f) => f.path), spec, coverage: docsCoverage(ctx), ...(partial ? { regenerated: { handlers: [...partial.targets.handlers], sequences: [...partial.targets.sequences] } } : {}) };
}
