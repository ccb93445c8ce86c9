/**
 * Moves a handler's state updates into a transition: `setX(v)` → `startTransition(() => setX(v))`,
 * so React renders them interruptibly instead of blocking the interaction.
 */
import * as recast from 'recast';
import { b, CodemodError, ensureNamedImport, findHandler, lineOf, localImportName, n, parseSource, printSource, type AstNode, type NodePath } from './ast.ts';
import type { CodemodResult } from './result.ts';

export interface TransitionTarget {
  handler: string;
  /** The setters to wrap (from static analysis). Default: every `setX` call that is a useState setter of the component. */
  setters?: string[];
}

function insideTransition(path: NodePath, transitionNames: Set<string>): boolean {
  for (let p: NodePath | null = path.parent; p; p = p.parent) {
    const node = p.node as AstNode;
    if (node.type === 'CallExpression') {
      const callee = (node as unknown as recast.types.namedTypes.CallExpression).callee;
      if (n.Identifier.check(callee) && transitionNames.has(callee.name)) return true;
    }
  }
  return false;
}

/** Setters declared by `const [x, setX] = useState(...)` / `useReducer` in the given function. */
export function stateSetters(component: NodePath | null): Set<string> {
  const setters = new Set<string>();
  if (!component) return setters;
  recast.visit(component.node as recast.types.namedTypes.Node, {
    visitVariableDeclarator(path) {
      const { id, init } = path.node;
      if (n.ArrayPattern.check(id) && n.CallExpression.check(init) && n.Identifier.check(init.callee) && /^use(State|Reducer)$/.test(init.callee.name)) {
        const second = id.elements[1];
        if (n.Identifier.check(second)) setters.add(second.name);
      }
      this.traverse(path);
    },
  });
  return setters;
}

export function wrapUpdatesInTransition(source: string, file: string, target: TransitionTarget): CodemodResult {
  const ast = parseSource(source, file);
  const site = findHandler(ast, target.handler, file);
  const fnNode = site.fn.node as AstNode;
  if (fnNode.type !== 'ArrowFunctionExpression' && fnNode.type !== 'FunctionExpression') {
    throw new CodemodError(file, lineOf(fnNode), `handler "${target.handler}" wraps a function defined elsewhere; run the codemod on its definition`);
  }
  const wanted = new Set(target.setters ?? stateSetters(site.component));
  const transitionName = localImportName(ast, 'react', 'startTransition') ?? 'startTransition';
  const transitionNames = new Set([transitionName, 'startTransition']);
  const edits: string[] = [];
  recast.visit(fnNode, {
    visitCallExpression(path) {
      const call = path.node;
      if (n.Identifier.check(call.callee) && wanted.has(call.callee.name) && !insideTransition(path, transitionNames)) {
        path.replace(b.callExpression(b.identifier(transitionName), [b.arrowFunctionExpression([], call)]));
        edits.push(`line ${lineOf(call) ?? '?'}: ${call.callee.name}(…) now runs in startTransition`);
        return false;
      }
      this.traverse(path);
      return undefined;
    },
  });
  if (edits.length === 0) {
    throw new CodemodError(file, lineOf(fnNode), `handler "${target.handler}" makes no state update outside a transition to wrap`);
  }
  if (transitionName === 'startTransition') ensureNamedImport(ast, 'react', 'startTransition');
  return { file, before: source, after: printSource(ast, source), edits };
}
