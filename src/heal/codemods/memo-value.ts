/**
 * Memoises a value a component recomputes on every render: `const v = f(a)` in the component body
 * → `const v = useMemo(() => f(a), [deps])`, where the deps are the component-scope bindings the
 * call reads (module-level values and imports never change, so they are not deps).
 */
import * as recast from 'recast';
import { b, CodemodError, enclosingFunction, ensureNamedImport, lineOf, localImportName, n, parseSource, printSource, type NodePath } from './ast.ts';
import type { CodemodResult } from './result.ts';

export interface MemoValueTarget {
  /** The function called on every render: a local name, or the handler name it was instrumented under. */
  callee: string;
}

/** Module-level `const f = instrument('name', g)` bindings: handler name → local name. */
function instrumentedBindings(ast: recast.types.namedTypes.File): Map<string, string> {
  const map = new Map<string, string>();
  for (const s of ast.program.body) {
    const decl = n.ExportNamedDeclaration.check(s) ? s.declaration : s;
    if (!n.VariableDeclaration.check(decl)) continue;
    for (const d of decl.declarations) {
      if (n.VariableDeclarator.check(d) && n.Identifier.check(d.id) && n.CallExpression.check(d.init)) {
        const [name] = d.init.arguments;
        if (n.StringLiteral.check(name)) map.set(name.value, d.id.name);
      }
    }
  }
  return map;
}

export function memoizeValue(source: string, file: string, target: MemoValueTarget): CodemodResult {
  const ast = parseSource(source, file);
  const callee = instrumentedBindings(ast).get(target.callee) ?? target.callee;
  const useMemoName = localImportName(ast, 'react', 'useMemo') ?? 'useMemo';
  const edits: string[] = [];
  recast.visit(ast, {
    visitVariableDeclarator(path) {
      const init = path.node.init;
      if (!n.CallExpression.check(init) || !n.Identifier.check(init.callee) || init.callee.name !== callee) {
        this.traverse(path);
        return undefined;
      }
      const component = enclosingFunction(path);
      // Only a statement directly in a component body: hooks may not run conditionally.
      // declarator → declaration → block → function.
      const block = path.parent?.parent;
      if (!component || !block || !n.BlockStatement.check(block.node) || block.parent?.node !== component.node) return false;
      const deps = dependencies(path.get('init'), component);
      path.get('init').replace(
        b.callExpression(b.identifier(useMemoName), [
          b.arrowFunctionExpression([], init),
          b.arrayExpression(deps.map((d) => b.identifier(d))),
        ]),
      );
      edits.push(`line ${lineOf(init) ?? '?'}: ${callee}(…) memoised with useMemo, deps [${deps.join(', ')}]`);
      return false;
    },
  });
  if (edits.length === 0) {
    throw new CodemodError(file, null, `no value computed by "${target.callee}" at the top of a component body`);
  }
  if (useMemoName === 'useMemo') ensureNamedImport(ast, 'react', 'useMemo');
  return { file, before: source, after: printSource(ast, source), edits };
}

/** Identifiers read by `expr` that are bound inside `component` (its params and locals). */
function dependencies(expr: NodePath, component: NodePath): string[] {
  const deps = new Set<string>();
  const componentScope = component.scope;
  recast.visit(expr.node as recast.types.namedTypes.Node, {
    visitIdentifier(path) {
      if (n.JSXIdentifier.check(path.node)) return false;
      const parent = path.parent?.node;
      // Property names (a.b, { b: 1 }) are not reads of a binding.
      if ((n.MemberExpression.check(parent) && parent.property === path.node && !parent.computed) || (n.ObjectProperty.check(parent) && parent.key === path.node)) {
        return false;
      }
      const name = path.node.name;
      const scope = expr.scope?.lookup(name);
      for (let s = scope; s; s = s.parent) {
        if (s === componentScope) {
          deps.add(name);
          break;
        }
      }
      return false;
    },
  });
  return [...deps].sort();
}
