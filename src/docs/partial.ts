/**
 * Partial regeneration: splicing the parts of freshly rendered docs that concern a few handlers
 * (their sections, their rows in summary tables, the sequences they are in) into the docs on
 * disk, leaving every other line as it was. Heal delivers a fix this way, so its docs diff is
 * the change: the fixed handler re-baselined from the fixed build, nobody else.
 *
 * Both texts come from the same renderers, so their structure is known: a head, then `## `
 * sections; tables are runs of `|` lines whose first line is their header. Lines inside human
 * regions are never read as headings or rows (people may write either there). Pure functions on
 * strings; generate.ts decides what is a target.
 */
import { isBudgetLine } from './markdown.ts';

const OPEN = /^<!-- homeostat:human (\S.*?) -->$/;
const CLOSE = /^<!-- \/homeostat:human -->$/;

export interface Section {
  /** The `## ` line ('' for the head). */
  heading: string;
  lines: string[];
}

/** Splits markdown into its head and `## ` sections, losslessly: `join` gives the text back byte for byte. */
export function splitSections(text: string): Section[] {
  const out: Section[] = [{ heading: '', lines: [] }];
  let inRegion = false;
  for (const line of text.split('\n')) {
    if (!inRegion && line.startsWith('## ')) out.push({ heading: line, lines: [] });
    out.at(-1)!.lines.push(line);
    if (OPEN.test(line)) inRegion = true;
    else if (CLOSE.test(line)) inRegion = false;
  }
  return out;
}

export function joinSections(sections: readonly Section[]): string {
  return sections.flatMap((s) => s.lines).join('\n');
}

/** Line ranges [start, end) of the tables in `lines` (outside human regions). */
function tableRanges(lines: readonly string[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let inRegion = false;
  let start = -1;
  for (let i = 0; i <= lines.length; i++) {
    const line = lines[i];
    const row = line !== undefined && !inRegion && line.startsWith('|');
    if (row && start < 0) start = i;
    if (!row && start >= 0) {
      out.push([start, i]);
      start = -1;
    }
    if (line !== undefined && OPEN.test(line)) inRegion = true;
    else if (line !== undefined && CLOSE.test(line)) inRegion = false;
  }
  return out;
}

/** A table row's cells, split on unescaped pipes and trimmed. */
export function cells(row: string): string[] {
  const inner = row.trim().replace(/^\|/, '').replace(/\|$/, '');
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (c === '\\' && inner[i + 1] === '|') {
      cur += '\\|';
      i++;
    } else if (c === '|') {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

/** The name in a key cell: the first code span (names in the docs never hold a backtick: mdName escapes it). */
export function keyOf(cell: string): string | null {
  return /`([^`]*)`/.exec(cell)?.[1] ?? null;
}

export interface TableSplice {
  /** Which column holds the row's subject (a handler or sequence name in a code span). */
  keyCol: number;
  /** Rows about these subjects (mdName-escaped) come from the new table; all others stay. */
  targets: ReadonlySet<string>;
  /** Tables ranked by a number, high first: target rows are placed by it; others keep their order. */
  rankedBy?: number;
  /** A rank column to renumber after placing. */
  rankCol?: number;
  /** A share column: a target row's share is recomputed over `rankedBy` of the whole table. */
  shareCol?: number;
}

const num = (cell: string | undefined) => {
  const n = Number(cell);
  return Number.isFinite(n) ? n : -Infinity;
};
const rowOf = (c: readonly string[]) => `| ${c.join(' | ')} |`;

/** Rows of the old table, with the target rows replaced by the new table's. */
export function spliceRows(oldRows: readonly string[], newRows: readonly string[], o: TableSplice): string[] {
  const isTarget = (row: string) => {
    const k = keyOf(cells(row)[o.keyCol] ?? '');
    return k !== null && o.targets.has(k);
  };
  const out = oldRows.filter((r) => !isTarget(r));
  const incoming = newRows.filter(isTarget);
  for (const row of incoming) {
    let at: number;
    if (o.rankedBy !== undefined) {
      const v = num(cells(row)[o.rankedBy]);
      at = out.findIndex((r) => num(cells(r)[o.rankedBy!]) < v);
      if (at < 0) at = out.length;
    } else {
      // Where the new table has it: after the nearest earlier row both tables have.
      const key = keyOf(cells(row)[o.keyCol] ?? '');
      const order = newRows.map((r) => keyOf(cells(r)[o.keyCol] ?? ''));
      const idx = order.indexOf(key);
      at = 0;
      for (let j = idx - 1; j >= 0; j--) {
        const pos = out.findIndex((r) => keyOf(cells(r)[o.keyCol] ?? '') === order[j]);
        if (pos >= 0) {
          at = pos + 1;
          while (at < out.length && keyOf(cells(out[at]!)[o.keyCol] ?? '') === order[j]) at++;
          break;
        }
      }
      if (idx < 0) at = out.length;
    }
    out.splice(at, 0, row);
  }
  if (o.rankCol === undefined && o.shareCol === undefined) return out;
  const total = o.shareCol !== undefined && o.rankedBy !== undefined ? out.reduce((s, r) => s + Math.max(0, num(cells(r)[o.rankedBy!])), 0) : 0;
  return out.map((r, i) => {
    const c = cells(r);
    if (o.rankCol !== undefined) c[o.rankCol] = String(i + 1);
    if (o.shareCol !== undefined && o.rankedBy !== undefined && isTarget(r) && total > 0) {
      const p = (Math.max(0, num(c[o.rankedBy])) / total) * 100;
      c[o.shareCol] = `${p === 0 || p >= 10 ? p.toFixed(0) : p.toFixed(1)}%`;
    }
    return o.rankCol !== undefined || isTarget(r) ? rowOf(c) : r;
  });
}

/**
 * In `oldLines`, the table whose header line equals the new one's gets its target rows from it.
 * A table the old lines lack (an empty list said in words) is left alone unless `whenMissing`
 * says which line stands for it.
 */
export function spliceTable(oldLines: readonly string[], newLines: readonly string[], header: string, o: TableSplice, whenMissing?: { oldLine: string; newEmptyLine: string }): string[] {
  const find = (lines: readonly string[]) => tableRanges(lines).find(([s]) => lines[s] === header) ?? null;
  const oldT = find(oldLines);
  const newT = find(newLines);
  const newRows = newT ? newLines.slice(newT[0] + 2, newT[1]) : [];
  if (!oldT) {
    const rows = newRows.filter((r) => o.targets.has(keyOf(cells(r)[o.keyCol] ?? '') ?? ''));
    const at = whenMissing ? oldLines.indexOf(whenMissing.oldLine) : -1;
    if (at < 0 || rows.length === 0 || !newT) return oldLines.slice();
    return [...oldLines.slice(0, at), ...newLines.slice(newT[0], newT[0] + 2), ...rows, ...oldLines.slice(at + 1)];
  }
  const rows = spliceRows(oldLines.slice(oldT[0] + 2, oldT[1]), newRows, o);
  if (rows.length === 0 && whenMissing) return [...oldLines.slice(0, oldT[0]), whenMissing.newEmptyLine, ...oldLines.slice(oldT[1])];
  return [...oldLines.slice(0, oldT[0] + 2), ...rows, ...oldLines.slice(oldT[1])];
}

/**
 * Sections: those whose heading is a target come from the new text (placed where the new text
 * has them, dropped when it no longer has them); the others stay, after `keep` had its say.
 */
export function spliceSections(oldSections: readonly Section[], newSections: readonly Section[], targets: ReadonlySet<string>, keep: (old: Section, fresh: Section | undefined) => Section = (s) => s): Section[] {
  const fresh = new Map(newSections.map((s) => [s.heading, s]));
  const out: Section[] = oldSections.filter((s) => !targets.has(s.heading)).map((s) => (s.heading === '' ? s : keep(s, fresh.get(s.heading))));
  const order = newSections.map((s) => s.heading);
  for (const s of newSections) {
    if (!targets.has(s.heading)) continue;
    const idx = order.indexOf(s.heading);
    let at = 1;
    for (let j = idx - 1; j >= 0; j--) {
      const pos = out.findIndex((x) => x.heading === order[j]);
      if (pos >= 0) {
        at = pos + 1;
        break;
      }
    }
    // A section never goes after the trailing notes of earlier versions.
    const notes = out.findIndex((x) => x.heading === NOTES_HEADING);
    if (notes >= 0 && at > notes) at = notes;
    out.splice(at, 0, s);
  }
  return out.map(endsBlank);
}

export const NOTES_HEADING = '## Notes kept from earlier versions';

/**
 * Every generated section ends with an empty line: the blank line before the next heading, or
 * the file's final newline when it is last. So sections can move without touching their text.
 */
function endsBlank(s: Section): Section {
  return s.lines.at(-1) === '' ? s : { heading: s.heading, lines: [...s.lines, ''] };
}

/**
 * The lines of a kept handler section that describe the code (description, source, signature,
 * parameters, updates, routing, tests: between its human region and its Budget line), with the
 * source positions of the new render: the patch may have moved the code; everything else of the
 * section, its numbers included, stays as the docs on disk say.
 */
export function refreshCodeFacts(old: Section, fresh: Section | undefined): Section {
  if (!fresh) return old;
  const span = (lines: readonly string[]) => {
    const start = lines.findIndex((l) => CLOSE.test(l));
    const end = lines.findIndex((l) => isBudgetLine(l));
    return start >= 0 && end > start ? [start + 1, end] : null;
  };
  const a = span(old.lines);
  const b = span(fresh.lines);
  if (!a || !b) return old;
  // Line by line: a fresh line that is an old one with its source positions moved replaces it;
  // every other old line stays as written, and fresh lines with no old counterpart (a flow or a
  // test added since the docs were written, an edit elsewhere) are left out: the handler was not
  // re-documented, so its section changes only where this change moved its code.
  const unmoved = (l: string) => l.replace(/(\.[cm]?[jt]sx?)(:\d+(?::\d+)?|#L\d+)/g, '$1');
  const moved = new Map<string, string[]>();
  for (const l of fresh.lines.slice(b[0], b[1])) {
    const k = unmoved(l);
    const list = moved.get(k) ?? [];
    list.push(l);
    moved.set(k, list);
  }
  const block = old.lines.slice(a[0], a[1]).map((l) => moved.get(unmoved(l))?.shift() ?? l);
  return { heading: old.heading, lines: [...old.lines.slice(0, a[0]), ...block, ...old.lines.slice(a[1])] };
}
