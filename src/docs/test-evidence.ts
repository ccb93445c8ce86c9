/**
 * Which tests and recorded flows cover a handler, and what they assert. A recorded flow covers a
 * handler when one of its steps targets an element the analysis routes to it (the selector's
 * label, accessible name or text matches the element's `aria-label` or text); the
 * expectations that follow the step are what it asserts. A test file covers a handler when it
 * names it; the enclosing `test(…)`/`it(…)` titles say what. Handlers reached only through
 * another one (`parseQuery` through `handleSearchInput`) inherit its flows, marked `via`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { HandlerSource } from './analyze.ts';

export interface TestEvidence {
  kind: 'flow' | 'test';
  /** Relative to the docs directory, posix separators (a link target). */
  file: string;
  /** The flow's title or the test titles that name the handler. */
  title: string;
  /** What it checks: the flow's expectations after the steps that reach the handler, or the test's expect lines. */
  asserts: string[];
  /** Flows: the steps (1-based) that reach the handler. */
  steps: number[];
  /** The handler whose route the flow reaches, when this one is only called by it. */
  via: string | null;
}

export interface EvidenceSources {
  /** Recorded flows (files or directories of `*.json`). */
  flows: string[];
  /** Test directories or files (`*.spec.*`, `*.test.*`). */
  tests: string[];
}

/** Where a project keeps its flows and tests, found from the source root: `<root>/../flows`, and e2e/tests beside the nearest package.json. */
export function defaultEvidenceSources(root: string): EvidenceSources {
  const abs = resolve(root);
  const flows = [join(abs, 'flows'), join(abs, '..', 'flows')];
  let pkg = abs;
  for (let i = 0; i < 5 && !existsSync(join(pkg, 'package.json')); i++) pkg = dirname(pkg);
  if (existsSync(join(pkg, 'package.json'))) flows.push(join(pkg, 'flows'));
  const tests = existsSync(join(pkg, 'package.json')) ? [join(pkg, 'e2e'), join(pkg, 'tests'), join(pkg, 'test'), abs] : [abs];
  return { flows: unique(flows.filter((p) => existsSync(p))), tests: unique(tests.filter((p) => existsSync(p))) };
}

/** Evidence per handler name, each list sorted (flows first, then tests, by file). */
export function findTestEvidence(handlers: readonly HandlerSource[], sources: EvidenceSources, docsDir: string): Map<string, TestEvidence[]> {
  const out = new Map<string, TestEvidence[]>();
  const add = (name: string, e: TestEvidence) => {
    const list = out.get(name) ?? [];
    if (!list.some((x) => x.file === e.file && x.title === e.title && x.via === e.via)) list.push(e);
    out.set(name, list);
  };
  const flows = listFiles(sources.flows, /\.json$/).flatMap((f) => readFlow(f));
  for (const h of handlers) {
    for (const flow of flows) {
      const steps = flow.steps.filter((s) => s.action && (h.routes ?? []).some((r) => stepTargets(s, r.element)));
      if (steps.length === 0) continue;
      const e: TestEvidence = { kind: 'flow', file: relPosix(docsDir, flow.file), title: flow.title, asserts: assertsAfter(flow, steps), steps: steps.map((s) => s.index + 1), via: null };
      add(h.name, e);
      for (const callee of calledFrom(h, handlers)) add(callee, { ...e, via: h.name });
    }
  }
  const testFiles = listFiles(sources.tests, /\.(spec|test)\.[cm]?[jt]sx?$/);
  for (const file of testFiles) {
    const text = readFileSync(file, 'utf8');
    for (const h of handlers) {
      const hits = linesNaming(text, h.name);
      if (hits.length === 0) continue;
      const titles = unique(hits.map((i) => testTitle(text, i)).filter((t): t is string => t !== null));
      const asserts = unique(hits.map((i) => text.split('\n')[i]!.trim()).filter((l) => /\bexpect\(/.test(l))).slice(0, 3);
      add(h.name, { kind: 'test', file: relPosix(docsDir, file), title: titles.slice(0, 3).join('; ') || '(outside a test block)', asserts, steps: [], via: null });
    }
  }
  for (const list of out.values()) list.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'flow' ? -1 : 1) || a.file.localeCompare(b.file) || a.title.localeCompare(b.title));
  return out;
}

/** Handlers `h` calls, and those they call (its route reaches them too). */
function calledFrom(h: HandlerSource, all: readonly HandlerSource[]): string[] {
  const byName = new Map(all.map((x) => [x.name, x]));
  const seen = new Set<string>();
  const todo = [...(h.calls ?? [])];
  while (todo.length > 0) {
    const n = todo.shift()!;
    if (seen.has(n) || n === h.name) continue;
    seen.add(n);
    todo.push(...(byName.get(n)?.calls ?? []));
  }
  return [...seen].sort();
}

interface FlowStep {
  index: number;
  action: boolean;
  type: string;
  description: string | null;
  selectors: Array<Record<string, unknown>>;
  text: string | null;
}

interface Flow {
  file: string;
  title: string;
  steps: FlowStep[];
}

const ACTIONS = new Set(['click', 'dblclick', 'type', 'fill', 'select', 'check', 'uncheck', 'press', 'hover', 'change', 'keyDown', 'keyUp']);

/** A recording read loosely: only titles, steps, their types, selectors and descriptions (anything else is ignored; a file that is not a flow gives none). */
function readFlow(file: string): Flow[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
  if (!json || typeof json !== 'object' || !Array.isArray((json as { steps?: unknown }).steps)) return [];
  const j = json as { title?: unknown; steps: unknown[] };
  const steps: FlowStep[] = j.steps.map((raw, index) => {
    const s = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const type = typeof s['type'] === 'string' ? s['type'] : '';
    const target = s['target'] as { selectors?: unknown } | undefined;
    const selectors = Array.isArray(target?.selectors) ? (target.selectors.filter((x) => x && typeof x === 'object') as Array<Record<string, unknown>>) : [];
    // Chrome Recorder steps keep selectors as arrays of strings: `aria/Search products`.
    const recorder = Array.isArray(s['selectors']) ? (s['selectors'] as unknown[]).flat().filter((x): x is string => typeof x === 'string' && x.startsWith('aria/')).map((x) => ({ name: x.slice(5) })) : [];
    return {
      index,
      action: ACTIONS.has(type),
      type,
      description: typeof s['description'] === 'string' ? s['description'] : null,
      selectors: [...selectors, ...recorder],
      text: typeof s['text'] === 'string' ? s['text'] : null,
    };
  });
  return [{ file, title: typeof j.title === 'string' ? j.title : relative(process.cwd(), file), steps }];
}

/** The label and the text an element is found by, from its description (`<input aria-label="Search products">`). */
function elementNames(element: string): string[] {
  const names: string[] = [];
  const label = /aria-label="([^"]*)"/.exec(element)?.[1];
  if (label) names.push(label);
  const text = />([^<]+)</.exec(element)?.[1];
  if (text) names.push(text.trim());
  return names;
}

/** True when a step's selector finds the element: label, accessible name or text equal (or, when not exact, contained), `…` standing for any text. */
function stepTargets(step: FlowStep, element: string): boolean {
  const names = elementNames(element);
  if (names.length === 0) return false;
  for (const sel of step.selectors) {
    const exact = sel['exact'] === true;
    for (const key of ['label', 'name', 'text', 'ariaLabel']) {
      const v = sel[key];
      if (typeof v !== 'string' || v === '') continue;
      for (const n of names) {
        const parts = n.split('…');
        const whole = new RegExp(`^${parts.map(escapeRe).join('.*')}$`, 'i');
        if (whole.test(v)) return true;
        if (!exact && parts.some((p) => p.toLowerCase().includes(v.toLowerCase()))) return true;
      }
    }
  }
  return false;
}

/** The expectations right after the steps that reach the handler (up to the next action), as they read. */
function assertsAfter(flow: Flow, steps: FlowStep[]): string[] {
  const out: string[] = [];
  for (const s of steps) {
    for (let i = s.index + 1; i < flow.steps.length && !flow.steps[i]!.action; i++) {
      const e = flow.steps[i]!;
      if (!e.type.startsWith('expect')) continue;
      out.push(e.description ?? `${e.type}${e.text ? ` "${e.text}"` : ''}`);
    }
  }
  return unique(out).slice(0, 5);
}

/** 0-based lines that name the handler as a whole word (a dotted name as written). */
function linesNaming(text: string, name: string): number[] {
  const re = new RegExp(`(^|[^\\w.$])${escapeRe(name)}(?![\\w$])`);
  const out: number[] = [];
  text.split('\n').forEach((l, i) => {
    if (re.test(l)) out.push(i);
  });
  return out;
}

/** The title of the `test(…)` / `it(…)` enclosing line `i`: the nearest one opened above it. */
function testTitle(text: string, i: number): string | null {
  const lines = text.split('\n');
  for (let k = i; k >= 0; k--) {
    const m = /^\s*(?:test|it)(?:\.\w+)?\(\s*(['"`])(.+?)\1/.exec(lines[k]!);
    if (m) return m[2]!;
  }
  return null;
}

function listFiles(paths: readonly string[], pattern: RegExp): string[] {
  const out: string[] = [];
  const walk = (p: string, depth: number) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return;
    }
    if (st.isFile()) {
      if (pattern.test(p)) out.push(p);
      return;
    }
    if (!st.isDirectory() || depth > 6) return;
    for (const e of readdirSync(p).sort()) if (e !== 'node_modules' && !e.startsWith('.')) walk(join(p, e), depth + 1);
  };
  for (const p of paths) walk(resolve(p), 0);
  return unique(out);
}

function relPosix(from: string, to: string): string {
  return relative(from, to).split(sep).join('/');
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
