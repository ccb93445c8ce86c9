/**
 * Parsing and printing for codemods: recast over Babel's TypeScript parser, so a file keeps its
 * formatting and comments everywhere the codemod did not touch.
 */
import * as recast from 'recast';
import * as babelTs from 'recast/parsers/babel-ts.js';

export const b = recast.types.builders;
export const n = recast.types.namedTypes;
export type NodePath = recast.types.NodePath;
// recast's AST node types, loosely: codemods check `type` before touching fields.
export type AstNode = recast.types.namedTypes.Node & Record<string, unknown>;

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

export function parseSource(code: string, file: string): recast.types.namedTypes.File {
  try {
    return recast.parse(code, { parser: babelTs }) as recast.types.namedTypes.File;
  } catch (e) {
    const err = e as Error & { loc?: { line: number; column: number } };
    throw new CodemodError(file, err.loc?.line ?? null, `cannot parse: ${err.message.replace(/\s*\(\d+:\d+\)$/, '')}`);
  }
}

/** Prints the AST; new string literals follow the quote style the original file mostly uses. */
export function printSource(ast: recast.types.namedTypes.File, original: string): string {
  const single = (original.match(/from '/g) ?? []).length;
  const double = (original.match(/from "/g) ?? []).length;
  return recast.print(ast, { quote: double > single ? 'double' : 'single' }).code;
}

export function lineOf(node: { loc?: { start: { line: number } } | null }): number | null {
  return node.loc?.start.line ?? null;
}

/** Adds `name` to the file's `import { ... } from 'module'`, creating the import if needed. */
export function ensureNamedImport(ast: recast.types.namedTypes.File, module: string, name: string): void {
  const body = ast.program.body;
  const imports = body.filter((s): s is recast.types.namedTypes.ImportDeclaration => n.ImportDeclaration.check(s));
  const existing = imports.find((s) => s.source.value === module && s.importKind !== 'type');
  if (existing) {
    const has = existing.specifiers?.some(
      (sp) => n.ImportSpecifier.check(sp) && sp.imported.name === name && (!sp.local || sp.local.name === name),
    );
    if (has) return;
    if (existing.specifiers?.some((sp) => n.ImportNamespaceSpecifier.check(sp))) {
      // `import * as React from 'react'` cannot take named specifiers: add a second import.
    } else {
      existing.specifiers = [...(existing.specifiers ?? []), b.importSpecifier(b.identifier(name))];
      return;
    }
  }
  const decl = b.importDeclaration([b.importSpecifier(b.identifier(name))], b.stringLiteral(module));
  const last = imports.length > 0 ? body.indexOf(imports[imports.length - 1]!) : -1;
  body.splice(last + 1, 0, decl);
}

/** True when `name` is imported from `module` (as a named import, possibly renamed: returns the local name). */
export function localImportName(ast: recast.types.namedTypes.File, module: string, name: string): string | null {
  for (const s of ast.program.body) {
    if (!n.ImportDeclaration.check(s) || s.source.value !== module) continue;
    for (const sp of s.specifiers ?? []) {
      if (n.ImportSpecifier.check(sp) && sp.imported.name === name) {
        const local = sp.local?.name;
        return typeof local === 'string' ? local : name;
      }
    }
  }
  return null;
}

/** Local names under which Homeostat's wrappers are imported (`instrument`, `useHandler`). */
function wrapperNames(ast: recast.types.namedTypes.File): Set<string> {
  const names = new Set<string>();
  for (const mod of ['homeostat', 'homeostat/react']) {
    for (const fn of ['instrument', 'useHandler']) {
      const local = localImportName(ast, mod, fn);
      if (local) names.add(local);
    }
  }
  return names;
}

export interface HandlerSite {
  /** The wrapper call: `useHandler('name', fn)` / `instrument('name', fn)`. */
  call: NodePath;
  /** Path of the wrapped function expression (arrow or function), or of the identifier passed. */
  fn: NodePath;
  /** The enclosing function component (or other function), if any. */
  component: NodePath | null;
}

/** Finds where handler `name` is instrumented in the file. */
export function findHandler(ast: recast.types.namedTypes.File, name: string, file: string): HandlerSite {
  const wrappers = wrapperNames(ast);
  let site: HandlerSite | null = null;
  recast.visit(ast, {
    visitCallExpression(path) {
      const node = path.node;
      const [first, second] = node.arguments;
      if (
        !site &&
        n.Identifier.check(node.callee) &&
        wrappers.has(node.callee.name) &&
        first &&
        (n.StringLiteral.check(first) || n.Literal.check(first)) &&
        (first as { value: unknown }).value === name &&
        second
      ) {
        site = { call: path, fn: path.get('arguments', 1), component: enclosingFunction(path) };
        return false;
      }
      this.traverse(path);
      return undefined;
    },
  });
  if (!site) throw new CodemodError(file, null, `no instrumented handler named "${name}" (instrument/useHandler with that literal name)`);
  return site;
}

/** The nearest enclosing function (declaration, expression or arrow) of a path. */
export function enclosingFunction(path: NodePath): NodePath | null {
  for (let p: NodePath | null = path.parent; p; p = p.parent) {
    const t = (p.node as AstNode).type;
    if (t === 'FunctionDeclaration' || t === 'FunctionExpression' || t === 'ArrowFunctionExpression') return p;
  }
  return null;
}

/** Finds a top-level function component by name: `function X`, `export function X`, `const X = (...) =>`. */
export function findComponent(ast: recast.types.namedTypes.File, name: string, file: string): NodePath {
  let found: NodePath | null = null;
  recast.visit(ast, {
    visitFunctionDeclaration(path) {
      if (!found && path.node.id?.name === name) found = path;
      return false;
    },
    visitVariableDeclarator(path) {
      const node = path.node;
      if (!found && n.Identifier.check(node.id) && node.id.name === name && node.init) {
        const t = (node.init as AstNode).type;
        if (t === 'ArrowFunctionExpression' || t === 'FunctionExpression') found = path.get('init');
      }
      return false;
    },
  });
  if (!found) throw new CodemodError(file, null, `no component named "${name}"`);
  return found;
}
