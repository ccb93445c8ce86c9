/**
 * Every codemod over a corpus of real-world component shapes (corpus.ts) produces code that
 * - parses;
 * - typechecks, for the TypeScript cases: the TypeScript compiler in-process, strict, with
 *   @types/react, over the corpus as the codemods left it (each result in a folder of its own,
 *   beside the modules it imports and the files the codemod created), the untouched corpus
 *   being clean first;
 * - leaves everything outside what it edited byte-identical: every line the diff removes or
 *   inserts at lies in a range the codemod reported as touched (the nodes it replaced, the
 *   places it inserted at, the imports it extended).
 * Codemods that cannot apply to a shape refuse it with a CodemodError that says why.
 */
import { posix } from 'node:path';
import { parse } from '@babel/parser';
import { diffLines } from 'diff';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { runCodemod } from '../apply.ts';
import { CodemodError, isTypeScriptFile, syntaxPlugins } from './ast.ts';
import { CORPUS } from './corpus.ts';
import type { CodemodResult, LineRange } from './result.ts';

interface Output {
  label: string;
  result: CodemodResult;
  dir: string;
}

const ROOT = posix.join(process.cwd().replace(/\\/g, '/'), 'corpus-virtual');

/** Lines of `before` that the diff changes, and places it inserts between (as the line after). */
function changedOriginalLines(before: string, after: string): { removed: number[]; insertedBefore: number[] } {
  const removed: number[] = [];
  const insertedBefore: number[] = [];
  let line = 1;
  for (const part of diffLines(before, after)) {
    const n = part.count ?? part.value.split('\n').length - 1;
    if (part.removed) {
      for (let i = 0; i < n; i++) removed.push(line + i);
      line += n;
    } else if (part.added) insertedBefore.push(line);
    else line += n;
  }
  return { removed, insertedBefore };
}

function within(line: number, ranges: readonly LineRange[]): boolean {
  return ranges.some((r) => line >= r.start && line <= r.end);
}

function runAll() {
  const outputs: Output[] = [];
  const refusals: Array<{ label: string; error: unknown; expected: RegExp }> = [];
  for (const c of CORPUS) {
    for (const run of c.runs) {
      const result = runCodemod(run.plan(c.source), c.source, c.file, { exists: () => false });
      outputs.push({ label: `${c.name} / ${run.label}`, result, dir: `${ROOT}/${outputs.length}` });
    }
    for (const r of c.refusals ?? []) {
      let error: unknown = null;
      try {
        runCodemod(r.plan(c.source), c.source, c.file);
      } catch (e) {
        error = e;
      }
      refusals.push({ label: `${c.name} / ${r.label}`, error, expected: r.error });
    }
  }
  return { outputs, refusals };
}

/** Type-checks files given as path → text, in memory; returns the diagnostics per file. */
function typecheck(files: Map<string, string>): Map<string, string[]> {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    jsx: ts.JsxEmit.ReactJSX,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    allowImportingTsExtensions: true,
    isolatedModules: true,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  const exists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (f) => files.get(f) ?? read(f);
  host.fileExists = (f) => files.has(f) || exists(f);
  // The corpus folders exist only in memory: resolution probes them before their files.
  host.directoryExists = (d) => d.startsWith(ROOT) || ts.sys.directoryExists(d);
  host.getSourceFile = (f, lang, onError, create) => (files.has(f) ? ts.createSourceFile(f, files.get(f)!, lang, true) : getSourceFile(f, lang, onError, create));
  const program = ts.createProgram([...files.keys()].filter((f) => /\.tsx?$/.test(f)), options, host);
  const out = new Map<string, string[]>();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const file = d.file?.fileName ?? '(global)';
    const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : null;
    const text = `${pos ? `${pos.line + 1}:${pos.character + 1}: ` : ''}TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    out.set(file, [...(out.get(file) ?? []), text]);
  }
  return out;
}

describe('the codemod corpus', () => {
  const { outputs, refusals } = runAll();

  it('has every codemod in it, in TypeScript and JavaScript, and every run changed its file', () => {
    const codemods = new Set(CORPUS.flatMap((c) => c.runs.map((r) => r.plan(c.source).codemod)));
    expect([...codemods].sort()).toEqual(['defer-value', 'memo-component', 'memo-value', 'pending-transition', 'progressive-list', 'transition', 'virtual-list']);
    expect(CORPUS.some((c) => isTypeScriptFile(c.file)) && CORPUS.some((c) => !isTypeScriptFile(c.file))).toBe(true);
    for (const o of outputs) expect(o.result.after, o.label).not.toBe(o.result.before);
  });

  it('produces code that parses', () => {
    for (const o of outputs) {
      for (const f of [{ file: o.result.file, after: o.result.after }, ...(o.result.also ?? [])]) {
        expect(() => parse(f.after, { sourceType: 'module', plugins: syntaxPlugins(f.file) }), `${o.label}: ${f.file}`).not.toThrow();
      }
    }
  });

  it('leaves everything outside the edited ranges byte-identical', () => {
    for (const o of outputs) {
      const touched = o.result.touched ?? [];
      expect(touched.length, o.label).toBeGreaterThan(0);
      const { removed, insertedBefore } = changedOriginalLines(o.result.before, o.result.after);
      const outside = removed.filter((l) => !within(l, touched));
      // An insertion lies between two lines; the nearest non-blank one on either side must be in a touched range.
      const lines = o.result.before.split('\n');
      const blank = (l: number) => l >= 1 && l <= lines.length && lines[l - 1]!.trim() === '';
      const nearest = (l: number, step: number) => {
        while (blank(l)) l += step;
        return l;
      };
      const strayInsertions = insertedBefore.filter((l) => !within(nearest(l, 1), touched) && !within(nearest(l - 1, -1), touched));
      expect({ label: o.label, outside, strayInsertions }).toEqual({ label: o.label, outside: [], strayInsertions: [] });
    }
  });

  it('typechecks (TypeScript cases): the corpus is clean as written, and after every codemod', () => {
    const files = new Map<string, string>();
    const tsCases = CORPUS.filter((c) => isTypeScriptFile(c.file));
    tsCases.forEach((c, i) => {
      files.set(`${ROOT}/original-${i}/${c.file}`, c.source);
      for (const [path, text] of Object.entries(c.support ?? {})) files.set(`${ROOT}/original-${i}/${path}`, text);
    });
    const tsOutputs = outputs.filter((o) => isTypeScriptFile(o.result.file));
    for (const o of tsOutputs) {
      const c = CORPUS.find((x) => x.file === o.result.file)!;
      files.set(`${o.dir}/${o.result.file}`, o.result.after);
      for (const [path, text] of Object.entries(c.support ?? {})) files.set(`${o.dir}/${path}`, text);
      for (const f of o.result.also ?? []) files.set(`${o.dir}/${f.file}`, f.after);
    }
    const errors = typecheck(files);
    const report = [...errors].map(([file, list]) => {
      const o = tsOutputs.find((x) => file.startsWith(`${x.dir}/`));
      return `${o ? o.label : file.replace(`${ROOT}/`, '')}:\n  ${list.join('\n  ')}`;
    });
    expect(report).toEqual([]);
    expect(tsOutputs.length).toBeGreaterThan(10);
  }, 120_000);

  it('refuses what a codemod cannot do, saying why', () => {
    for (const r of refusals) {
      expect(r.error, r.label).toBeInstanceOf(CodemodError);
      expect((r.error as Error).message, r.label).toMatch(r.expected);
    }
  });
});
