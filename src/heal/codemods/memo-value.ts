/**
 * Memoises a value a component recomputes on every render: `const v = f(a)` in the render
 * function → `const v = useMemo(() => f(a), [deps])`, where the deps are the bindings the call
 * reads that belong to the component (its props, state and locals: Babel's scope says which);
 * module-level values and imports never change between renders, so they are not deps. Works in
 * every function component shape; a class component has no hooks, and the codemod says so.
 */
import { CodemodError, lineOf, parseModule, reactApi, resultOf, t, touch, type Module } from './ast.ts';
import { classComponentError, componentAt, componentReads, isComponentName, isHookName } from './components.ts';
import type { CodemodResult } from './result.ts';

export interface MemoValueTarget {
  /** The function called on every render: a local name, or the handler name it was instrumented under. */
  callee: string;
}

/** Module-level `const f = instrument('name', g)` bindings: handler name → local name. */
function instrumentedBindings(mod: Module): Map<string, string> {
  const map = new Map<string, string>();
  for (const s of mod.ast.program.body) {
    const decl = t.isExportNamedDeclaration(s) ? s.declaration : s;
    if (!t.isVariableDeclaration(decl)) continue;
    for (const d of decl.declarations) {
      if (t.isIdentifier(d.id) && t.isCallExpression(d.init)) {
        const [name] = d.init.arguments;
        if (t.isStringLiteral(name)) map.set(name.value, d.id.name);
      }
    }
  }
  return map;
}

export function memoizeValue(source: string, file: string, target: MemoValueTarget): CodemodResult {
  const mod = parseModule(source, file);
  const callee = instrumentedBindings(mod).get(target.callee) ?? target.callee;
  const edits: string[] = [];
  let classError: CodemodError | null = null;
  mod.program.traverse({
    VariableDeclarator(path) {
      const init = path.get('init');
      if (!init.isCallExpression() || !t.isIdentifier(init.node.callee, { name: callee })) return;
      const component = componentAt(mod, path);
      if (component?.kind === 'class') {
        classError ??= classComponentError(mod, component, 'useMemo (a hook)', `memoise ${callee}(…) on the instance (recompute in componentDidUpdate when its inputs change), or make ${component.name} a PureComponent`);
        return;
      }
      const fn = component?.fn;
      // Only a statement directly in a render function's body: hooks may not run conditionally.
      const statement = path.parentPath;
      if (!fn || !(component.kind === 'function' || component.kind === 'hook') || statement.parentPath?.parentPath !== fn || !statement.parentPath.isBlockStatement()) return;
      if (!(isComponentName(component.name) || isHookName(component.name) || component.exported === 'default')) return;
      const deps = componentReads(init, fn).sort();
      touch(mod, init.node);
      const original = init.node;
      init.replaceWith(t.callExpression(reactApi(mod, 'useMemo'), [t.arrowFunctionExpression([], original), t.arrayExpression(deps.map((d) => t.identifier(d)))]));
      init.skip();
      edits.push(`line ${lineOf(original) ?? '?'}: ${callee}(…) memoised with useMemo, deps [${deps.join(', ')}]`);
    },
  });
  if (edits.length === 0) {
    if (classError) throw classError;
    throw new CodemodError(file, null, `no value computed by "${target.callee}" at the top of a component body`);
  }
  return resultOf(mod, edits);
}
