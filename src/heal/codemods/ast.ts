/**
 * Parsing, scope and printing for codemods.
 *
 * recast parses with Babel's parser (TypeScript and JSX by the file's extension) and remembers
 * the original text of every node; @babel/traverse then walks the same tree with Babel's scope
 * analysis, so renames and "which identifiers read this binding" come from `scope.rename` and
 * `binding.referencePaths`, never from a hand-written test. Mutations happen in place on that
 * tree and recast prints it back: only the nodes a codemod replaced are reprinted, the rest of
 * the file keeps its bytes (formatting, comments, blank lines).
 *
 * Import edits are the exception: recast reprints a whole import declaration when a specifier is
 * added (a one-line import it thinks too long came back as 8 lines), so they are applied as text
 * to the printed result, in the style of the import they extend (see `imports.ts`).
 */
import { parse as babelParse } from '@babel/parser';
import { traverse, types as t, type NodePath } from '@babel/core';
import * as recast from 'recast';
import { applyImports, type ImportRequest } from './imports.ts';
import type { CodemodResult, FileChange, LineRange } from './result.ts';
import { syntaxPlugins } from './syntax.ts';

export { isTypeScriptFile, syntaxPlugins } from './syntax.ts';

export { t };
export type { NodePath };

/** A codemod could not do its job; `file` and `line` say where. The source is left unchanged. */
export class CodemodError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    message: string,
  ) {
    super(`${file}${line !== null ? `:${line}` : ''}: ${message}`);
    this.name = 'CodemodError';
  }
}

/** One file being changed: its tree, Babel's view of it, and what the codemod touched. */
export interface Module {
  file: string;
  source: string;
  ast: t.File;
  program: NodePath<t.Program>;
  /** Original line ranges the codemod changed or inserted at (1-based, inclusive). */
  touched: LineRange[];
  /** Named imports to add when printing. */
  imports: ImportRequest[];
}

export function parseModule(source: string, file: string): Module {
  let ast: t.File;
  try {
    ast = recast.parse(source, {
      parser: {
        parse: (code: string) =>
          babelParse(code, { sourceType: 'module', allowReturnOutsideFunction: true, startLine: 1, tokens: true, plugins: syntaxPlugins(file) }),
      },
    }) as t.File;
  } catch (e) {
    const err = e as Error & { loc?: { line: number; column: number } };
    throw new CodemodError(file, err.loc?.line ?? null, `cannot parse: ${err.message.replace(/\s*\(\d+:\d+\)$/, '')}`);
  }
  let program: NodePath<t.Program> | null = null;
  traverse(ast, {
    Program(p) {
      program = p;
      p.stop();
    },
  });
  if (!program) throw new CodemodError(file, null, 'cannot parse: no program');
  return { file, source, ast, program, touched: [], imports: [] };
}

/** Records that the codemod changes `node` (its original lines). New nodes have no location and record nothing. */
export function touch(mod: Module, node: t.Node | null | undefined): void {
  const loc = node?.loc;
  if (loc) mod.touched.push({ start: loc.start.line, end: loc.end.line });
}

/** Records an insertion next to original line `line` (the lines either side may change). */
export function touchLine(mod: Module, line: number | null | undefined): void {
  if (typeof line === 'number') mod.touched.push({ start: Math.max(1, line - 1), end: line });
}

/** How the file writes what recast has to print anew: quotes, arrow parentheses, line width. */
function printOptions(source: string): recast.Options {
  const single = (source.match(/(?:from|import)\s*'/g) ?? []).length;
  const double = (source.match(/(?:from|import)\s*"/g) ?? []).length;
  const bare = (source.match(/[(,=]\s*[A-Za-z_$][\w$]*\s*=>/g) ?? []).length;
  const parened = (source.match(/\(\s*[A-Za-z_$][\w$]*\s*\)\s*=>/g) ?? []).length;
  // A reprinted node wraps only where the file's own lines would: at its widest code line (at least 80).
  const widest = Math.max(80, ...source.split('\n').map((l) => (/^\s*(\/\/|\*|\/\*)/.test(l) ? 0 : l.length)));
  return { quote: double > single ? 'double' : 'single', arrowParensAlways: parened >= bare, wrapColumn: widest };
}

/** Prints the module: recast for the tree, then the imports the codemod asked for, as text. */
export function printModule(mod: Module): string {
  const printed = recast.print(mod.ast, printOptions(mod.source)).code;
  return applyImports(printed, mod.file, mod.imports);
}

/** The codemod's result for the module, with `also` for files it creates. */
export function resultOf(mod: Module, edits: string[], also: FileChange[] = []): CodemodResult {
  const after = printModule(mod);
  for (const r of importTouches(mod)) mod.touched.push(r);
  return { file: mod.file, before: mod.source, after, edits, touched: mergeRanges(mod.touched), ...(also.length ? { also } : {}) };
}

/** Lines of the original imports that adding specifiers may change (the import declarations themselves, or the line after the last one). */
function importTouches(mod: Module): LineRange[] {
  if (mod.imports.length === 0) return [];
  const out: LineRange[] = [];
  const decls = mod.ast.program.body.filter((s): s is t.ImportDeclaration => t.isImportDeclaration(s));
  const last = decls[decls.length - 1];
  for (const req of mod.imports) {
    const d = decls.find((x) => x.source.value === req.module && x.importKind !== 'type' && !x.specifiers.some((sp) => t.isImportNamespaceSpecifier(sp)));
    if (d?.loc) out.push({ start: d.loc.start.line, end: d.loc.end.line });
    else {
      // A new declaration: after the last import, or at the top.
      const line = last?.loc?.end.line ?? 1;
      out.push({ start: line, end: line + 1 });
    }
  }
  return out;
}

function mergeRanges(ranges: readonly LineRange[]): LineRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const out: LineRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end + 1) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

export function lineOf(node: t.Node | null | undefined): number | null {
  return node?.loc?.start.line ?? null;
}

/** How the file reaches a React export. */
export type ReactRef = { kind: 'named'; local: string } | { kind: 'namespace'; object: string } | { kind: 'missing' };

/** The local name of `name` imported from `module` (a value import, possibly renamed), else null. */
export function localImportName(mod: Module, module: string, name: string): string | null {
  for (const s of mod.ast.program.body) {
    if (!t.isImportDeclaration(s) || s.source.value !== module || s.importKind === 'type') continue;
    for (const sp of s.specifiers) {
      if (t.isImportSpecifier(sp) && sp.importKind !== 'type' && (t.isIdentifier(sp.imported) ? sp.imported.name : sp.imported.value) === name) return sp.local.name;
    }
  }
  return null;
}

/** `import * as React from 'react'` or `import React from 'react'`: the namespace's local name. */
function reactNamespace(mod: Module): string | null {
  for (const s of mod.ast.program.body) {
    if (!t.isImportDeclaration(s) || s.source.value !== 'react' || s.importKind === 'type') continue;
    for (const sp of s.specifiers) if (t.isImportNamespaceSpecifier(sp) || t.isImportDefaultSpecifier(sp)) return sp.local.name;
  }
  return null;
}

/** True when the file already imports anything from react by name (a value import). */
function hasNamedReactImport(mod: Module): boolean {
  return mod.ast.program.body.some((s) => t.isImportDeclaration(s) && s.source.value === 'react' && s.importKind !== 'type' && s.specifiers.some((sp) => t.isImportSpecifier(sp)));
}

/**
 * An expression for React's `name` (`useTransition`, `memo`…) as this file would write it: the
 * local name when imported, `React.name` when the file reaches React through a namespace and
 * imports nothing by name, else the name with an import added when printing.
 */
export function reactApi(mod: Module, name: string): t.Identifier | t.MemberExpression {
  const local = localImportName(mod, 'react', name);
  if (local) return t.identifier(local);
  const ns = reactNamespace(mod);
  if (ns && !hasNamedReactImport(mod)) return t.memberExpression(t.identifier(ns), t.identifier(name));
  if (mod.program.scope.hasBinding(name)) throw new CodemodError(mod.file, null, `"${name}" is already bound in this file to something other than React's ${name}; import it under another name and rerun`);
  requireImport(mod, 'react', name);
  return t.identifier(name);
}

export function requireImport(mod: Module, module: string, name: string, typeOnly = false): void {
  if (!mod.imports.some((i) => i.module === module && i.name === name)) mod.imports.push({ module, name, typeOnly });
}

/** Names of React's `name` in this file: the local import, `React.name`, and the bare name. */
export function reactNames(mod: Module, name: string): Set<string> {
  const out = new Set([name]);
  const local = localImportName(mod, 'react', name);
  if (local) out.add(local);
  const ns = reactNamespace(mod);
  if (ns) out.add(`${ns}.${name}`);
  return out;
}

/** `a`, `a.b`, `this.a.b` as text, else null (a call's callee, for matching setter names). */
export function calleeText(node: t.Node): string | null {
  if (t.isIdentifier(node)) return node.name;
  if (t.isThisExpression(node)) return 'this';
  if (t.isMemberExpression(node) && !node.computed && t.isIdentifier(node.property)) {
    const object = calleeText(node.object);
    return object === null ? null : `${object}.${node.property.name}`;
  }
  return null;
}

/** A binding name not used anywhere in the file (so a new one never shadows or is shadowed). */
export function freshName(mod: Module, base: string, taken: Set<string> = new Set()): string {
  const clean = base.replace(/[^A-Za-z0-9_$]/g, '') || 'value';
  const start = /^[0-9]/.test(clean) ? `_${clean}` : clean;
  const used = (name: string) => taken.has(name) || mod.program.scope.hasBinding(name) || mod.program.scope.hasGlobal(name) || hasReference(mod, name);
  let name = start;
  for (let i = 2; used(name); i++) name = `${start}${i}`;
  taken.add(name);
  return name;
}

function hasReference(mod: Module, name: string): boolean {
  let found = false;
  mod.program.traverse({
    Identifier(p) {
      if (p.node.name === name) {
        found = true;
        p.stop();
      }
    },
  });
  return found;
}

export function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

type Commented = { comments?: Array<{ leading?: boolean; trailing?: boolean }> | null; leadingComments?: unknown; trailingComments?: unknown; innerComments?: unknown };

/**
 * Moves a replaced node's comments to its replacement(s): leading ones to `first`, trailing ones
 * to `last`. recast prints the comments it attached (`comments`); Babel's own copies are cleared
 * so nothing prints twice.
 */
export function moveComments(from: t.Node, first: t.Node, last: t.Node = first): void {
  const src = from as unknown as Commented;
  const comments = src.comments ?? [];
  const a = first as unknown as Commented;
  const z = last as unknown as Commented;
  a.comments = [...comments.filter((c) => c.leading), ...(a.comments ?? [])];
  z.comments = [...(z.comments ?? []), ...comments.filter((c) => c.trailing)];
  src.comments = null;
  for (const n of [src, a, z]) {
    n.leadingComments = null;
    n.trailingComments = null;
  }
}

/**
 * An expression written as code (`x ? { opacity: 0.6 } : undefined`): parsed by recast, so it
 * prints as written wherever it is inserted (recast reprints new nodes in its own layout, an
 * object literal always over several lines).
 */
export function expressionFrom(mod: Module, code: string): t.Expression {
  const snippet = recast.parse(`(${code});\n`, {
    parser: { parse: (c: string) => babelParse(c, { sourceType: 'module', tokens: true, plugins: syntaxPlugins(mod.file) }) },
  }) as t.File;
  const stmt = snippet.program.body[0];
  if (!t.isExpressionStatement(stmt)) throw new Error(`not an expression: ${code}`);
  const expr = stmt.expression;
  // The parentheses around it were only for parsing.
  if (t.isParenthesizedExpression(expr)) return expr.expression;
  if (expr.extra) delete expr.extra['parenthesized'];
  return expr;
}
