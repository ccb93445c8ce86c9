/**
 * Re-baselining some handlers, not all: the spec and the markdown keep what the docs on disk say
 * about every other handler and sequence, and take from the fresh render only what concerns the
 * re-baselined ones (see partial.ts for the splicing). Code facts (source lines, signatures) are
 * refreshed everywhere, since the analysis of the current code is what they describe.
 */
import type { AggregateSnapshot } from '../core/aggregate.ts';
import type { HandlerSpec, SequenceSpec, SpecFile } from '../core/spec.ts';
import { mdName } from './format.ts';
import { joinSections, NOTES_HEADING, refreshCodeFacts, spliceSections, spliceTable, splitSections, type Section, type TableSplice } from './partial.ts';
import { ERRORS, HANDLER_SPECS, PERFORMANCE, SEQUENCE_FLOWS } from './spec-file.ts';

export interface Targets {
  handlers: Set<string>;
  sequences: Set<string>;
}

/**
 * The spec with only `only` re-baselined: their entries come from `built` (the spec rebuilt from
 * the new sessions), as do the sequences the new sessions observed with one of them in it (or
 * that the docs list with one of them); every other entry is the previous one, with its source
 * location from the current analysis. Handlers that appear in the code for the first time are
 * taken as built (they have nothing to keep).
 */
export function mergeSpec(previous: SpecFile, built: SpecFile, only: ReadonlySet<string>, snapshot: AggregateSnapshot): { spec: SpecFile; targets: Targets } {
  const targets: Targets = { handlers: new Set(), sequences: new Set() };
  const handlers: Record<string, HandlerSpec> = {};
  for (const [name, fresh] of Object.entries(built.handlers)) {
    const prev = previous.handlers[name];
    if (only.has(name) || !prev) {
      handlers[name] = fresh;
      targets.handlers.add(name);
    } else {
      handlers[name] = { ...prev, source: fresh.source, description: fresh.description };
    }
  }
  const observed = new Map(snapshot.sequences.map((s) => [s.name, s]));
  const names = new Set([...Object.keys(previous.sequences), ...Object.keys(built.sequences)]);
  const sequences: Record<string, SequenceSpec> = {};
  for (const name of [...names].sort()) {
    const agg = observed.get(name);
    const prev = previous.sequences[name];
    const involved = (prev?.handlers ?? []).some((h) => targets.handlers.has(h)) || (agg?.variants ?? []).some((v) => v.handlers.some((h) => targets.handlers.has(h)));
    if (agg && involved && built.sequences[name]) {
      sequences[name] = built.sequences[name]!;
      targets.sequences.add(name);
    } else if (prev) sequences[name] = prev;
  }
  return { spec: { ...previous, handlers, sequences }, targets };
}

const heading = (name: string) => `## \`${mdName(name)}\``;
const escaped = (names: Iterable<string>) => new Set([...names].map(mdName));

/** Headers of the tables in `lines` (the lines after which a `| --- |` separator follows). */
function tableHeaders(lines: readonly string[]): string[] {
  return lines.filter((l, i) => l.startsWith('|') && (lines[i + 1] ?? '').startsWith('| ---') && !(lines[i - 1] ?? '').startsWith('|'));
}

function spliceTables(old: Section, fresh: Section | undefined, o: TableSplice, whenMissing?: { oldLine: string; newEmptyLine: string }): Section {
  if (!fresh) return old;
  let lines = old.lines;
  // A table only one side has: rows appeared where the docs said "No errors were recorded.", or left.
  for (const h of new Set([...tableHeaders(fresh.lines), ...tableHeaders(old.lines)])) lines = spliceTable(lines, fresh.lines, h, o, whenMissing);
  return { heading: old.heading, lines };
}

const NO_ERRORS = 'No errors were recorded.';

/** `oldText` with the parts about `targets` taken from `freshText` (both rendered for file `name`). */
export function spliceDoc(name: string, oldText: string, freshText: string, targets: Targets): string {
  const oldS = splitSections(oldText);
  const newS = splitSections(freshText);
  const fresh = new Map(newS.map((s) => [s.heading, s]));
  const h = escaped(targets.handlers);
  const q = escaped(targets.sequences);
  let out: Section[];
  switch (name) {
    case HANDLER_SPECS: {
      out = spliceSections(oldS, newS, new Set([...targets.handlers].map(heading)), (s, f) => (s.heading === NOTES_HEADING ? s : refreshCodeFacts(s, f)));
      out[0] = spliceTables(oldS[0]!, newS[0], { keyCol: 0, targets: h });
      break;
    }
    case SEQUENCE_FLOWS: {
      out = spliceSections(oldS, newS, new Set([...targets.sequences].map(heading)));
      out[0] = spliceTables(oldS[0]!, newS[0], { keyCol: 0, targets: q });
      break;
    }
    case PERFORMANCE: {
      const plans: Record<string, TableSplice> = {
        "## Bottlenecks by each handler's own cost": { keyCol: 1, targets: h, rankedBy: 3, rankCol: 0, shareCol: 4 },
        '## Frozen time per interaction (each shared frame once)': { keyCol: 0, targets: q, rankedBy: 2 },
        '## Baselines': { keyCol: 0, targets: h },
        '## Sequences by p95 time to result': { keyCol: 0, targets: q, rankedBy: 4 },
      };
      out = oldS.map((s) => (plans[s.heading] ? spliceTables(s, fresh.get(s.heading), plans[s.heading]!) : s));
      break;
    }
    case ERRORS: {
      out = oldS.slice();
      out[0] = spliceTables(oldS[0]!, newS[0], { keyCol: 0, targets: h, rankedBy: 3 }, { oldLine: NO_ERRORS, newEmptyLine: NO_ERRORS });
      break;
    }
    default:
      return freshText;
  }
  return joinSections(out);
}
