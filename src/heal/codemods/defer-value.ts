/**
 * Defers a state value that drives heavy rendering: after `const [q, setQ] = useState(...)`
 * adds `const deferredQ = useDeferredValue(q)` and renders from it, while event handlers, effects
 * and controlled inputs keep reading the live value (so typing stays urgent).
 *
 * "Renders from it" is decided on Babel's binding of `q`: its references (`referencePaths`),
 * never a name match, so a type literal's key (`useState<{ q: string }>`), an object key or a
 * property access named `q` is left alone. A reference counts as a render-time read when it runs
 * while the component renders: directly in the render function, in a `useMemo` computation (and
 * its dependency list, which must agree with it), or in a callback the render calls at once
 * (`items.filter((i) => … q …)`). Callbacks of other hooks, with their dependency lists, event
 * handlers and functions kept for later run later and keep the live value.
 */
import { capital, CodemodError, freshName, lineOf, parseModule, reactApi, reactNames, resultOf, t, touch, touchLine, type Module, type NodePath } from './ast.ts';
import { classComponentError, findComponent, type ComponentSite } from './components.ts';
import { findHandler, type SourcePosition } from './handlers.ts';
import type { CodemodResult } from './result.ts';
import { stateHookBinding } from './transition.ts';

const CONTROLLED = new Set(['value', 'checked', 'defaultValue', 'defaultChecked']);

export interface DeferValueTarget {
  /** The component that owns the state; null: the component of the handler at `handler`/`at`. */
  component: string | null;
  /** The state's name: the first element of `const [state, setState] = useState(…)`. */
  state: string;
  handler?: string;
  at?: SourcePosition | null;
}

function calleeIs(mod: Module, call: t.Node, hook: string): boolean {
  if (!t.isCallExpression(call)) return false;
  const c = call.callee;
  const text = t.isIdentifier(c) ? c.name : t.isMemberExpression(c) && t.isIdentifier(c.object) && t.isIdentifier(c.property) ? `${c.object.name}.${c.property.name}` : null;
  return text !== null && reactNames(mod, hook).has(text);
}

/** Calls that run their callback later, not while rendering. */
const LATER = /^(setTimeout|setInterval|requestAnimationFrame|requestIdleCallback|queueMicrotask|then|catch|finally|addEventListener|subscribe|startTransition)$/;

function calleeName(callee: t.Node): string {
  return t.isIdentifier(callee) ? callee.name : t.isMemberExpression(callee) && t.isIdentifier(callee.property) ? callee.property.name : '';
}

function isHookCall(call: t.Node): boolean {
  if (!t.isCallExpression(call)) return false;
  const c = call.callee;
  const name = t.isIdentifier(c) ? c.name : t.isMemberExpression(c) && t.isIdentifier(c.property) ? c.property.name : '';
  return /^use[A-Z]/.test(name);
}

/** True when `ref` is read while `fn` renders (see the module comment). */
function readWhileRendering(mod: Module, ref: NodePath, fn: NodePath<t.Function>): boolean {
  for (let p: NodePath | null = ref; p && p !== fn; p = p.parentPath) {
    const parent = p.parentPath;
    if (!parent) return false;
    // A controlled input's own value stays live.
    if (parent.isJSXAttribute() && t.isJSXIdentifier(parent.node.name) && CONTROLLED.has(parent.node.name.name)) return false;
    if (p.isFunction()) {
      // A callback the render calls there and then: useMemo's, and those of ordinary calls
      // (`items.filter((i) => … q …)`). Not those of other hooks (effects, callbacks), of
      // schedulers, nor functions kept for later (event props, variables).
      if (!parent.isCallExpression() || p.listKey !== 'arguments') return false;
      if (calleeIs(mod, parent.node, 'useMemo')) continue;
      if (isHookCall(parent.node) || LATER.test(calleeName(parent.node.callee))) return false;
      continue;
    }
    // The dependency list of a hook other than useMemo goes with its (live) callback.
    if (parent.isCallExpression() && isHookCall(parent.node) && !calleeIs(mod, parent.node, 'useMemo') && p.listKey === 'arguments' && p.key !== 0) return false;
  }
  return true;
}

function componentFor(mod: Module, target: DeferValueTarget): ComponentSite {
  if (target.component) {
    try {
      return findComponent(mod, target.component);
    } catch (e) {
      if (!(e instanceof CodemodError) || !target.handler || !target.at) throw e;
    }
  }
  if (target.handler) {
    const site = findHandler(mod, { handler: target.handler, at: target.at ?? null });
    if (site.component) return site.component;
  }
  throw new CodemodError(mod.file, target.at?.line ?? null, `no component to defer ${target.state} in${target.component ? ` (no component named "${target.component}")` : ''}`);
}

export function deferValue(source: string, file: string, target: DeferValueTarget): CodemodResult {
  const mod = parseModule(source, file);
  const component = componentFor(mod, target);
  if (component.kind === 'class') {
    throw classComponentError(mod, component, 'useDeferredValue (a hook)', `render the heavy part in a function component child that defers ${target.state}, or set that state in startTransition (the transition codemod)`);
  }
  const fn = component.fn!;
  const body = fn.get('body') as NodePath;
  if (!body.isBlockStatement()) throw new CodemodError(file, lineOf(fn.node), `${component.name} has no state ${target.state}: its body is a single expression`);
  // The binding of the state, declared in the render function's own scope.
  let decl: NodePath<t.VariableDeclarator> | null = null;
  for (const stmt of body.get('body')) {
    if (!stmt.isVariableDeclaration()) continue;
    for (const d of stmt.get('declarations')) {
      const id = d.node.id;
      if (t.isArrayPattern(id) && t.isIdentifier(id.elements[0]) && id.elements[0].name === target.state && stateHookBinding(d, target.state)?.role === 'value') decl = d;
    }
  }
  if (!decl) throw new CodemodError(file, lineOf(fn.node), `no \`const [${target.state}, …] = useState(…)\` in ${component.name}`);
  const binding = decl.scope.getBinding(target.state)!;
  const reads = binding.referencePaths.filter((ref) => readWhileRendering(mod, ref, fn));
  if (reads.length === 0) throw new CodemodError(file, lineOf(decl.node), `${target.state} is not read while rendering ${component.name}`);
  const deferred = freshName(mod, `deferred${capital(target.state)}`);
  for (const ref of reads) {
    touch(mod, ref.node);
    const parent = ref.parentPath;
    if (parent?.isObjectProperty() && parent.node.shorthand && parent.node.value === ref.node) {
      // `{ query }` → `{ query: deferredQuery }`: the key stays.
      touch(mod, parent.node);
      parent.node.shorthand = false;
      parent.node.value = t.identifier(deferred);
      continue;
    }
    ref.replaceWith(t.identifier(deferred));
  }
  const statement = decl.parentPath as NodePath<t.VariableDeclaration>;
  touchLine(mod, (statement.node.loc?.end.line ?? 0) + 1);
  statement.insertAfter(t.variableDeclaration('const', [t.variableDeclarator(t.identifier(deferred), t.callExpression(reactApi(mod, 'useDeferredValue'), [t.identifier(target.state)]))]));
  return resultOf(mod, [`${component.name}: renders from ${deferred} = useDeferredValue(${target.state}) (${reads.length} read${reads.length === 1 ? '' : 's'})`]);
}

