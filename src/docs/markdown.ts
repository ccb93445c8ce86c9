/**
 * The parts of the generated markdown that people own, and how they are read back:
 * - human regions, `<!-- homeostat:human KEY -->…<!-- /homeostat:human -->`, kept verbatim;
 * - per-handler `- **Budget:** …` and `- **Tolerance:** …` lines, and per-sequence budget lines,
 *   which are parsed back into the spec (and win over homeostat.spec.json when they disagree,
 *   because people edit the markdown).
 */
import { METRICS, metricFromLabel } from '../core/metrics.ts';
import { formatBudget, HANDLER_METRICS, STATS, type Budget, type Stat } from '../core/spec.ts';
import { DocsFormatError } from './errors.ts';
import { mdNameDecode } from './format.ts';

const OPEN = /^<!-- homeostat:human (\S.*?) -->$/;
const CLOSE = /^<!-- \/homeostat:human -->$/;
const SECTION = /^## `(.+)`\s*$/;
// Any markdown list marker (-, * or +) and either bold form (**Budget:** or **Budget**:): the
// line is read as people wrote it, not mistaken for prose and replaced by the spec's value.
const BUDGET_LINE = /^\s{0,3}[-*+]\s+(?:\*\*|__)Budget(?::(?:\*\*|__)|(?:\*\*|__):)\s*(.*?)\s*$/;
const TOLERANCE_LINE = /^\s{0,3}[-*+]\s+(?:\*\*|__)Tolerance(?::(?:\*\*|__)|(?:\*\*|__):)\s*(.*?)\s*$/;
/** A list line that names a budget or tolerance in a form none of the above reads: refused, never ignored. */
const LOOKS_LIKE = /^\s*(?:[-*+]|\d+[.)])\s+\W{0,2}(Budget|Tolerance)\b/i;

/** Is `line` a Budget line (any list marker)? For the modules that splice sections. */
export function isBudgetLine(line: string): boolean {
  return BUDGET_LINE.test(line);
}

export interface HumanRegion {
  key: string;
  /** Exactly the text between the marker lines (without their line breaks). */
  text: string;
  line: number;
}

/** Opens and closes a human region; `text` is kept verbatim. */
export function humanRegion(key: string, text = ''): string {
  return `<!-- homeostat:human ${key} -->\n${text === '' ? '' : `${text}\n`}<!-- /homeostat:human -->`;
}

/** Every human region of a markdown file, by key. Unbalanced or duplicate markers are errors naming the line. */
export function parseHumanRegions(markdown: string, file: string): Map<string, HumanRegion> {
  const out = new Map<string, HumanRegion>();
  const lines = markdown.split('\n');
  let open: { key: string; line: number; body: string[] } | null = null;
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const trimmed = line.trim();
    const opened = OPEN.exec(trimmed);
    if (opened) {
      if (open) throw new DocsFormatError(file, i + 1, [`homeostat:human region opened inside the one opened on line ${open.line}`]);
      const key = opened[1]!;
      if (out.has(key)) throw new DocsFormatError(file, i + 1, [`a second homeostat:human region "${key}" (the first is on line ${out.get(key)!.line})`]);
      open = { key, line: i + 1, body: [] };
      return;
    }
    if (CLOSE.test(trimmed)) {
      if (!open) throw new DocsFormatError(file, i + 1, ['<!-- /homeostat:human --> without an opening marker']);
      out.set(open.key, { key: open.key, text: open.body.join('\n'), line: open.line });
      open = null;
      return;
    }
    if (open) open.body.push(line);
  });
  if (open) {
    const o = open as { key: string; line: number };
    throw new DocsFormatError(file, o.line, [`homeostat:human region "${o.key}" is never closed (<!-- /homeostat:human -->)`]);
  }
  return out;
}

/** "p95 time to result ≤ 500 ms" */
export function formatBudgetLine(b: Budget | null): string {
  return `- **Budget:** ${b ? formatBudget(b) : 'none'}`;
}

/** "p95 ≤ 100 ms" (a sequence budget is always on its duration) */
export function formatSequenceBudgetLine(b: { stat: Stat; ms: number } | null): string {
  return `- **Budget:** ${b ? `${b.stat} ≤ ${b.ms} ms` : 'none'}`;
}

export function formatToleranceLine(tolerance: number | null, fallback: number): string {
  return `- **Tolerance:** ${tolerance === null ? `default (±${round(fallback * 100)}%)` : `±${round(tolerance * 100)}%`}`;
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

const STAT_RE = STATS.join('|');
// Labels ("time to result") and ids ("result"), longest first so "frame blocking" wins over "blocking".
const METRIC_RE = [...new Set(HANDLER_METRICS.flatMap((m) => [METRICS[m].label, m]))]
  .sort((a, b) => b.length - a.length)
  .map((t) => t.replace(/ /g, '\\s+'))
  .join('|');
const NUMBER = '(\\d+(?:\\.\\d+)?)';
const HANDLER_BUDGET = new RegExp(`^(${STAT_RE})\\s+(${METRIC_RE})\\s*(?:≤|<=)\\s*${NUMBER}\\s*ms$`, 'i');
const SEQUENCE_BUDGET = new RegExp(`^(${STAT_RE})(?:\\s+duration)?\\s*(?:≤|<=)\\s*${NUMBER}\\s*ms$`);

export interface MarkdownBudgets {
  /** Per section (handler or sequence name): the budget and tolerance lines as people left them. */
  handlers: Map<string, { budget: Budget | null; tolerance: number | null | undefined; line: number }>;
  sequences: Map<string, { budget: { stat: Stat; ms: number } | null; line: number }>;
}

interface Section {
  name: string;
  line: number;
  lines: Array<{ text: string; line: number }>;
}

/** Splits on "## `name`" headings, leaving out lines inside human regions (people may quote a budget there). */
function sections(markdown: string): Section[] {
  const out: Section[] = [];
  let current: Section | null = null;
  let inHuman = false;
  markdown.split('\n').forEach((raw, i) => {
    const text = raw.replace(/\r$/, '');
    const trimmed = text.trim();
    if (OPEN.test(trimmed)) inHuman = true;
    else if (CLOSE.test(trimmed)) inHuman = false;
    if (inHuman) return;
    const heading = SECTION.exec(text);
    if (heading) {
      // Names are written escaped (`mdName`): read back the name itself.
      current = { name: mdNameDecode(heading[1]!), line: i + 1, lines: [] };
      out.push(current);
    } else if (current) (current as Section).lines.push({ text, line: i + 1 });
  });
  return out;
}

/** Sections by name; a name met twice is an error naming both lines (merging would lose one of them). */
function uniqueSections(markdown: string, file: string, kind: string): Section[] {
  const seen = new Map<string, number>();
  const all = sections(markdown);
  for (const s of all) {
    const first = seen.get(s.name);
    if (first !== undefined) {
      throw new DocsFormatError(file, s.line, [`a second section for ${kind} "${s.name}" (the first is on line ${first}): keep one, with the budget you mean`]);
    }
    seen.set(s.name, s.line);
  }
  return all;
}

/** The one line of `re` in a section (a second one is an error naming both), and lines that look like one but are not. */
function single(s: Section, re: RegExp, what: string, file: string): { value: string; line: number } | undefined {
  let found: { value: string; line: number } | undefined;
  for (const l of s.lines) {
    const m = re.exec(l.text);
    if (!m) continue;
    if (found) throw new DocsFormatError(file, l.line, [`a second ${what} line in "${s.name}" (the first is on line ${found.line}): keep one`]);
    found = { value: m[1]!, line: l.line };
  }
  return found;
}

function refuseLookalikes(s: Section, file: string): void {
  for (const l of s.lines) {
    const m = LOOKS_LIKE.exec(l.text);
    if (m && !BUDGET_LINE.test(l.text) && !TOLERANCE_LINE.test(l.text)) {
      throw new DocsFormatError(file, l.line, [`cannot read this ${m[1]!.toLowerCase()} line of "${s.name}": write it as "- **${m[1]}:** …"`]);
    }
  }
}

/** Reads the budget and tolerance lines of HANDLER_SPECS.md; a line that does not parse is an error naming it. */
export function parseHandlerBudgets(markdown: string, file: string): MarkdownBudgets['handlers'] {
  const out: MarkdownBudgets['handlers'] = new Map();
  for (const s of uniqueSections(markdown, file, 'handler')) {
    refuseLookalikes(s, file);
    const b = single(s, BUDGET_LINE, 'Budget', file);
    const t = single(s, TOLERANCE_LINE, 'Tolerance', file);
    const tolerance = t ? parseTolerance(t.value, file, t.line) : undefined;
    if (b) out.set(s.name, { budget: parseHandlerBudget(b.value, file, b.line), tolerance, line: b.line });
  }
  return out;
}

/** Reads the budget lines of SEQUENCE_FLOWS.md. */
export function parseSequenceBudgets(markdown: string, file: string): MarkdownBudgets['sequences'] {
  const out: MarkdownBudgets['sequences'] = new Map();
  for (const s of uniqueSections(markdown, file, 'sequence')) {
    refuseLookalikes(s, file);
    const b = single(s, BUDGET_LINE, 'Budget', file);
    if (!b) continue;
    const value = b.value;
    if (/^none$/i.test(value)) {
      out.set(s.name, { budget: null, line: b.line });
      continue;
    }
    const m = SEQUENCE_BUDGET.exec(value);
    if (!m) throw new DocsFormatError(file, b.line, [`cannot read the budget of sequence "${s.name}": "${value}" (write e.g. "p95 ≤ 100 ms", or "none")`]);
    out.set(s.name, { budget: { stat: m[1] as Stat, ms: Number(m[2]) }, line: b.line });
  }
  return out;
}

function parseHandlerBudget(value: string, file: string, line: number): Budget | null {
  if (/^none$/i.test(value)) return null;
  const m = HANDLER_BUDGET.exec(value);
  if (!m) {
    throw new DocsFormatError(file, line, [
      `cannot read the budget "${value}": write "<stat> <metric> ≤ <number> ms" with stat one of ${STATS.join(', ')} and metric one of ${HANDLER_METRICS.map((x) => METRICS[x].label).join(', ')} (e.g. "p95 interaction ≤ 200 ms"), or "none"`,
    ]);
  }
  return { metric: metricFromLabel(m[2]!)!, stat: m[1]!.toLowerCase() as Stat, ms: Number(m[3]) };
}

function parseTolerance(value: string, file: string, line: number): number | null {
  if (/^default\b/i.test(value)) return null;
  const m = /^±?\s*(\d+(?:\.\d+)?)\s*%$/.exec(value);
  if (!m || Number(m[1]) <= 0) throw new DocsFormatError(file, line, [`cannot read the tolerance "${value}": write e.g. "±10%", or "default"`]);
  return Number(m[1]) / 100;
}
