/**
 * Moves a handler's state updates into a transition: `setX(v)` → `startTransition(() => setX(v))`,
 * so React renders them interruptibly instead of holding up the interaction. Works for function
 * components in every shape (see components.ts) and for class components (`this.setState(…)`
 * in a method or an arrow class field): `startTransition` is not a hook.
 *
 * Never the urgent ones: a setter whose state is an input's own value (`<input value={q}>`) stays
 * outside, or the input would lag behind the keystrokes (React's docs say the same).
 *
 * Which calls are setters, and which state an input shows, come from Babel's bindings: a setter
 * is the second element of `const [x, setX] = useState/useReducer(…)` (followed by binding, so a
 * shadowing parameter of the same name is not one), or a call the analysis named.
 */
import { calleeText, CodemodError, lineOf, parseModule, reactApi, reactNames, resultOf, t, touch, type Module, type NodePath } from './ast.ts';
import { isSetterName } from '../../vite/names.ts';
import type { ComponentSite } from './components.ts';
import { findHandler, type HandlerSite, type SourcePosition } from './handlers.ts';
import type { CodemodResult } from './result.ts';

export interface TransitionTarget {
  handler: string;
  /** Where the analysis saw the handler (plugin-named handlers are found by it). */
  at?: SourcePosition | null;
  /** The setters to wrap, as the analysis writes the calls (`setResults`, `dispatch`, `props.onChange`, `this.setState`). Default: every state setter it calls. */
  setters?: string[];
}

const STATE_HOOK = /^(React\.)?(useState|useReducer|useActionState|useOptimistic|useImmer|useImmerReducer)$/;

/** For an identifier bound by `const [value, setter] = useState(…)`: which element it is, and the pair. */
export function stateHookBinding(path: NodePath, name: string): { value: string | null; setter: string | null; role: 'value' | 'setter' } | null {
  const binding = path.scope.getBinding(name);
  const decl = binding?.path;
  if (!decl?.isVariableDeclarator() || !t.isArrayPattern(decl.node.id) || !t.isCallExpression(decl.node.init)) return null;
  const callee = calleeText(decl.node.init.callee);
  if (!callee || !STATE_HOOK.test(callee)) return null;
  const [first, second] = decl.node.id.elements;
  const value = t.isIdentifier(first) ? first.name : null;
  const setter = t.isIdentifier(second) ? second.name : null;
  const role = value === name ? 'value' : setter === name ? 'setter' : null;
  return role ? { value, setter, role } : null;
}

/** Names that start a transition here: React's `startTransition` and every start function `useTransition()` returned. */
function transitionStarter(path: NodePath<t.CallExpression>, reactStart: Set<string>): boolean {
  const text = calleeText(path.node.callee);
  if (text && reactStart.has(text)) return true;
  if (!t.isIdentifier(path.node.callee)) return false;
  const decl = path.scope.getBinding(path.node.callee.name)?.path;
  if (!decl?.isVariableDeclarator() || !t.isArrayPattern(decl.node.id) || !t.isCallExpression(decl.node.init)) return false;
  const hook = calleeText(decl.node.init.callee);
  return !!hook && /^(React\.)?useTransition$/.test(hook) && decl.node.id.elements[1] === decl.scope.getBinding(path.node.callee.name)?.identifier;
}

export function insideTransition(path: NodePath, reactStart: Set<string>): boolean {
  for (let p: NodePath | null = path.parentPath; p; p = p.parentPath) {
    if (p.isCallExpression() && transitionStarter(p, reactStart)) return true;
  }
  return false;
}

const FORM_ELEMENTS = new Set(['input', 'textarea', 'select']);
const CONTROLLED_PROPS = new Set(['value', 'checked']);

/**
 * Setters of the state that a form element in the component shows as its own value
 * (`<input value={query}>`, `<input checked={on}>`): updates that must stay urgent. For a class,
 * the `this.state` keys such an element shows.
 */
export function urgentState(component: ComponentSite | null): { setters: Set<string>; stateKeys: Set<string> } {
  const setters = new Set<string>();
  const stateKeys = new Set<string>();
  const root = component?.fn ?? component?.cls;
  if (!root) return { setters, stateKeys };
  root.traverse({
    JSXAttribute(attr) {
      const el = attr.parentPath.node as t.JSXOpeningElement;
      if (!t.isJSXIdentifier(el.name) || !FORM_ELEMENTS.has(el.name.name)) return;
      if (!t.isJSXIdentifier(attr.node.name) || !CONTROLLED_PROPS.has(attr.node.name.name)) return;
      attr.traverse({
        Identifier(id) {
          if (!id.isReferencedIdentifier()) return;
          const pair = stateHookBinding(id, id.node.name);
          if (pair?.role === 'value' && pair.setter) setters.add(pair.setter);
        },
        MemberExpression(m) {
          // this.state.x
          const obj = m.node.object;
          if (t.isMemberExpression(obj) && t.isThisExpression(obj.object) && t.isIdentifier(obj.property, { name: 'state' }) && t.isIdentifier(m.node.property)) stateKeys.add(m.node.property.name);
        },
      });
    },
  });
  return { setters, stateKeys };
}

/** `this.setState({ q: … })` sets a key an input shows: that call must stay urgent. */
function setsUrgentKey(call: t.CallExpression, stateKeys: Set<string>): boolean {
  const arg = call.arguments[0];
  if (!t.isObjectExpression(arg)) return false;
  return arg.properties.some((p) => t.isObjectProperty(p) && t.isIdentifier(p.key) && !p.computed && stateKeys.has(p.key.name));
}

/**
 * A setter the component received rather than declared (`dispatch` or `setX` from its props or
 * a destructured hook result, `props.onChange`-style members named like setters): the way a row
 * component updates its parent's state. Named like one, by the build plugin's own rule.
 */
function receivedSetter(call: NodePath<t.CallExpression>, text: string): boolean {
  const callee = call.node.callee;
  if (t.isMemberExpression(callee)) return t.isIdentifier(callee.property) && !t.isThisExpression(callee.object) && isSetterName(callee.property.name);
  if (!t.isIdentifier(callee) || !isSetterName(text)) return false;
  const binding = call.scope.getBinding(text);
  if (!binding) return false;
  if (binding.kind === 'param') return true;
  const decl = binding.path;
  return decl.isVariableDeclarator() && (t.isObjectPattern(decl.node.id) || t.isArrayPattern(decl.node.id));
}

/** Decides, per call in the handler, whether it is a state update the codemod should wrap. */
export interface SetterFilter {
  wanted(call: NodePath<t.CallExpression>): string | null;
  /** Setters that were asked for, or met in the handler, that must stay urgent. */
  urgent: Set<string>;
}

/** The error for a handler whose only updates must stay urgent. */
export function urgentOnly(mod: Module, site: HandlerSite, handler: string, setters: Iterable<string>): CodemodError {
  return new CodemodError(
    mod.file,
    lineOf(site.fn.node),
    `handler "${handler}" only updates ${[...setters].join(', ')}, the value of an input it renders: that update must stay urgent, so it is not moved into a transition`,
  );
}

/**
 * The updates a transition may take: those the analysis named (or, without names, every state
 * setter and `this.setState`) minus those that drive an input's own value.
 */
export function transitionableSetters(mod: Module, site: HandlerSite, requested: readonly string[] | undefined, handler: string): SetterFilter {
  const urgent = urgentState(site.component);
  const asked = requested && requested.length > 0 ? new Set(requested.flatMap((s) => (s === 'setState' || s === 'this.setState' ? ['this.setState'] : [s]))) : null;
  const urgentAsked = asked ? [...asked].filter((s) => urgent.setters.has(s)) : [];
  if (asked && urgentAsked.length === asked.size) throw urgentOnly(mod, site, handler, asked);
  const met = new Set(urgentAsked);
  return {
    urgent: met,
    wanted(call) {
      const text = calleeText(call.node.callee);
      if (!text) return null;
      if (text === 'this.setState') {
        if (asked && !asked.has('this.setState')) return null;
        if (setsUrgentKey(call.node, urgent.stateKeys)) {
          met.add(text);
          return null;
        }
        return text;
      }
      if (asked && !asked.has(text)) return null;
      if (urgent.setters.has(text) && t.isIdentifier(call.node.callee) && stateHookBinding(call, text)?.role === 'setter') {
        met.add(text);
        return null;
      }
      if (asked) return asked.has(text) ? text : null;
      if (t.isIdentifier(call.node.callee) && stateHookBinding(call, text)?.role === 'setter') return text;
      return receivedSetter(call, text) ? text : null;
    },
  };
}

/**
 * Wraps each wanted update in `fn` with `start(() => …)`, skipping calls that already run
 * inside a transition. Returns one edit line per wrapped call.
 */
export function wrapSetterCalls(mod: Module, fn: NodePath<t.Function>, filter: SetterFilter, start: () => t.Expression, label: string): string[] {
  const edits: string[] = [];
  const reactStart = reactNames(mod, 'startTransition');
  fn.traverse({
    CallExpression(path) {
      const name = filter.wanted(path);
      if (!name || insideTransition(path, reactStart)) return;
      const call = path.node;
      touch(mod, call);
      path.replaceWith(t.callExpression(start(), [t.arrowFunctionExpression([], call)]));
      path.skip();
      edits.push(`line ${lineOf(call) ?? '?'}: ${name}(…) now runs in ${label}`);
    },
  });
  return edits;
}

export function wrapUpdatesInTransition(source: string, file: string, target: TransitionTarget): CodemodResult {
  const mod = parseModule(source, file);
  const site = findHandler(mod, target);
  const filter = transitionableSetters(mod, site, target.setters, target.handler);
  const starter = reactApi(mod, 'startTransition');
  const edits = wrapSetterCalls(mod, site.fn, filter, () => t.cloneNode(starter), calleeText(starter) ?? 'startTransition');
  if (edits.length === 0) {
    if (filter.urgent.size > 0) throw urgentOnly(mod, site, target.handler, filter.urgent);
    throw new CodemodError(file, lineOf(site.fn.node), `handler "${target.handler}" makes no state update outside a transition to wrap`);
  }
  return resultOf(mod, edits);
}
