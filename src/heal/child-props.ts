/**
 * Static facts for the equal-props rule: which child components a component renders and which
 * bindings each child's props read. A handler whose updated state feeds none of a child's props
 * still re-renders that child (its parent re-rendered): the case `React.memo` is for.
 */
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import * as recast from 'recast';
import { CodemodError, findComponent, n, parseSource } from './codemods/ast.ts';
import type { ChildProps } from '../core/diagnose.ts';

function importedFrom(ast: recast.types.namedTypes.File, name: string): string | null {
  for (const s of ast.program.body) {
    if (!n.ImportDeclaration.check(s) || typeof s.source.value !== 'string') continue;
    for (const spec of s.specifiers ?? []) {
      if (spec.local && spec.local.name === name) return s.source.value;
    }
  }
  return null;
}

/** Bindings read in an expression (`a.b` reads `a`; object keys are not reads). */
function identifiersIn(node: recast.types.namedTypes.Node): Set<string> {
  const out = new Set<string>();
  recast.visit(node, {
    visitIdentifier(p) {
      const parent = p.parent?.node as { type?: string; property?: unknown; key?: unknown; computed?: boolean } | undefined;
      const isProperty = parent && parent.type === 'MemberExpression' && parent.property === p.node && !parent.computed;
      const isKey = parent && (parent.type === 'ObjectProperty' || parent.type === 'Property') && parent.key === p.node && !parent.computed;
      if (!isProperty && !isKey) out.add(p.node.name);
      this.traverse(p);
    },
  });
  return out;
}

/** Child components rendered by `component` in `file` (relative to `root`), with the bindings their props read. */
export async function childPropsOf(root: string, file: string, component: string): Promise<ChildProps | null> {
  const source = await readFile(join(root, file), 'utf8');
  const ast = parseSource(source, file);
  let fn;
  try {
    fn = findComponent(ast, component, file);
  } catch (e) {
    if (e instanceof CodemodError) return null;
    throw e;
  }
  // Local bindings and what they are computed from (`const visible = sort(results)` → visible ← results),
  // so a prop reading `visible` counts as reading `results` too.
  const derived = new Map<string, Set<string>>();
  // Bindings of the component's own scope: only these can change between renders (imports and
  // module-level values cannot), so only these count as what a child's props read.
  const local = new Set<string>();
  for (const p of (fn.node as { params?: recast.types.namedTypes.Node[] }).params ?? []) for (const name of identifiersIn(p)) local.add(name);
  recast.visit(fn.node as recast.types.namedTypes.Node, {
    visitVariableDeclarator(path) {
      const { id, init } = path.node;
      const names = n.Identifier.check(id) ? [id.name] : [...identifiersIn(id)];
      for (const name of names) local.add(name);
      // Roots: state (`useState`…) and callbacks (`useHandler('x', () => …)`, arrows) are values of
      // their own, not derived from what their bodies read.
      const isState = n.CallExpression.check(init) && n.Identifier.check(init.callee) && /^use(State|Reducer|Ref)$/.test(init.callee.name);
      const isCallback =
        n.ArrowFunctionExpression.check(init) ||
        n.FunctionExpression.check(init) ||
        (n.CallExpression.check(init) && init.arguments.some((a) => n.ArrowFunctionExpression.check(a) || n.FunctionExpression.check(a)) && !(n.Identifier.check(init.callee) && init.callee.name === 'useMemo'));
      if (init && !isState && !isCallback) {
        const from = identifiersIn(init);
        for (const name of names) derived.set(name, from);
      }
      this.traverse(path);
    },
  });
  const closure = (reads: Set<string>): Set<string> => {
    const out = new Set(reads);
    const todo = [...reads];
    while (todo.length) {
      for (const dep of derived.get(todo.pop()!) ?? []) if (!out.has(dep)) (out.add(dep), todo.push(dep));
    }
    return out;
  };
  const children = new Map<string, Set<string>>();
  recast.visit(fn.node as recast.types.namedTypes.Node, {
    visitJSXOpeningElement(path) {
      const name = path.node.name;
      if (n.JSXIdentifier.check(name) && /^[A-Z]/.test(name.name)) {
        const reads = children.get(name.name) ?? new Set<string>();
        children.set(name.name, reads);
        for (const attr of path.node.attributes ?? []) {
          // The attribute's value (or a spread's argument), not its name.
          const value = n.JSXAttribute.check(attr) ? attr.value : n.JSXSpreadAttribute.check(attr) ? attr.argument : null;
          if (!value) continue;
          for (const id of identifiersIn(value)) reads.add(id);
        }
      }
      this.traverse(path);
    },
  });
  const out: ChildProps['children'] = [];
  for (const [name, reads] of children) {
    const from = importedFrom(ast, name);
    const childFile = from === null ? file : from.startsWith('.') ? posix.normalize(posix.join(posix.dirname(file.replace(/\\/g, '/')), from)) : null;
    if (childFile === null) continue; // from a package: not ours to memoise
    out.push({ component: name, file: childFile, reads: [...closure(reads)].filter((r) => local.has(r)).sort() });
  }
  return { component, children: out };
}

/** Child-prop facts for every component that owns an instrumented handler. */
export async function childPropsFor(root: string, handlers: ReadonlyArray<{ file: string; component: string | null }>): Promise<ChildProps[]> {
  const seen = new Set<string>();
  const out: ChildProps[] = [];
  for (const h of handlers) {
    if (!h.component || seen.has(h.component)) continue;
    seen.add(h.component);
    const facts = await childPropsOf(root, h.file, h.component).catch(() => null);
    if (facts) out.push(facts);
  }
  return out;
}
