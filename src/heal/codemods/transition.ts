/**
 * Moves a handler's state updates into a transition: `setX(v)` → `startTransition(() => setX(v))`,
 * so React renders them interruptibly instead of holding up the interaction.
 *
 * Never the urgent ones: a setter whose state is an input's own value (`<input value={q}>`) stays
 * outside, or the input would lag behind the keystrokes (React's docs say the same).
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

/** `[value, setter]` pairs declared by `useState(...)` / `useReducer(...)` in the given function. */
function stateBindings(component: NodePath | null): Map<string, string> {
  const out = new Map<string, string>();
  if (!component) return out;
  recast.visit(component.node as recast.types.namedTypes.Node, {
    visitVariableDeclarator(path) {
      const { id, init } = path.node;
      if (n.ArrayPattern.check(id) && n.CallExpression.check(init) && n.Identifier.check(init.callee) && /^use(State|Reducer)$/.test(init.callee.name)) {
        const [first, second] = id.elements;
        if (n.Identifier.check(second)) out.set(second.name, n.Identifier.check(first) ? first.name : '');
      }
      this.traverse(path);
    },
  });
  return out;
}

/** Setters declared by `const [x, setX] = useState(...)` / `useReducer` in the given function. */
export function stateSetters(component: NodePath | null): Set<string> {
  return new Set(stateBindings(component).keys());
}

const FORM_ELEMENTS = new Set(['input', 'textarea', 'select']);
const CONTROLLED_PROPS = new Set(['value', 'checked']);

/**
 * Setters of the state that a form element in the component shows as its own value
 * (`<input value={query}>`, `<input checked={on}>`): updates that must stay urgent.
 */
export function urgentSetters(component: NodePath | null): Set<string> {
  const bindings = stateBindings(component);
  const controlled = new Set<string>();
  if (!component) return controlled;
  recast.visit(component.node as recast.types.namedTypes.Node, {
    visitJSXOpeningElement(path) {
      const el = path.node;
      if (n.JSXIdentifier.check(el.name) && FORM_ELEMENTS.has(el.name.name)) {
        for (const attr of el.attributes ?? []) {
          if (!n.JSXAttribute.check(attr) || !n.JSXIdentifier.check(attr.name) || !CONTROLLED_PROPS.has(attr.name.name)) continue;
          if (!n.JSXExpressionContainer.check(attr.value)) continue;
          recast.visit(attr.value, {
            visitIdentifier(p) {
              controlled.add(p.node.name);
              return false;
            },
          });
        }
      }
      this.traverse(path);
    },
  });
  const out = new Set<string>();
  for (const [setter, value] of bindings) if (value && controlled.has(value)) out.add(setter);
  return out;
}

/**
 * Wraps each call of a wanted setter in `fn` with `transitionName(() => …)`, skipping calls that
 * already run inside a transition. Returns one edit line per wrapped call.
 */
export function wrapSetterCalls(fnNode: AstNode, wanted: ReadonlySet<string>, transitionName: string, transitionNames: Set<string>, label = 'startTransition'): string[] {
  const edits: string[] = [];
  recast.visit(fnNode, {
    visitCallExpression(path) {
      const call = path.node;
      if (n.Identifier.check(call.callee) && wanted.has(call.callee.name) && !insideTransition(path, transitionNames)) {
        path.replace(b.callExpression(b.identifier(transitionName), [b.arrowFunctionExpression([], call)]));
        edits.push(`line ${lineOf(call) ?? '?'}: ${call.callee.name}(…) now runs in ${label}`);
        return false;
      }
      this.traverse(path);
      return undefined;
    },
  });
  return edits;
}

/** The setters a transition may take: the requested ones minus those that drive an input's own value. */
export function transitionableSetters(site: { component: NodePath | null; fn: NodePath }, requested: readonly string[] | undefined, file: string, handler: string): Set<string> {
  const wanted = new Set(requested ?? stateSetters(site.component));
  const urgent = urgentSetters(site.component);
  const kept = [...wanted].filter((s) => !urgent.has(s));
  if (wanted.size > 0 && kept.length === 0) {
    throw new CodemodError(
      file,
      lineOf(site.fn.node as AstNode),
      `handler "${handler}" only updates ${[...wanted].join(', ')}, the value of an input it renders: that update must stay urgent, so it is not moved into a transition`,
    );
  }
  return new Set(kept);
}

/** The function a handler wraps, when it is written inline at the wrapper (the only place a codemod may edit it). */
export function inlineHandlerFunction(site: { fn: NodePath }, file: string, handler: string): AstNode {
  const fnNode = site.fn.node as AstNode;
  if (fnNode.type !== 'ArrowFunctionExpression' && fnNode.type !== 'FunctionExpression') {
    throw new CodemodError(file, lineOf(fnNode), `handler "${handler}" wraps a function defined elsewhere; run the codemod on its definition`);
  }
  return fnNode;
}

export function wrapUpdatesInTransition(source: string, file: string, target: TransitionTarget): CodemodResult {
  const ast = parseSource(source, file);
  const site = findHandler(ast, target.handler, file);
  const fnNode = inlineHandlerFunction(site, file, target.handler);
  const wanted = transitionableSetters(site, target.setters, file, target.handler);
  const transitionName = localImportName(ast, 'react', 'startTransition') ?? 'startTransition';
  const edits = wrapSetterCalls(fnNode, wanted, transitionName, new Set([transitionName, 'startTransition']));
  if (edits.length === 0) {
    throw new CodemodError(file, lineOf(fnNode), `handler "${target.handler}" makes no state update outside a transition to wrap`);
  }
  if (transitionName === 'startTransition') ensureNamedImport(ast, 'react', 'startTransition');
  return { file, before: source, after: printSource(ast, source), edits };
}
