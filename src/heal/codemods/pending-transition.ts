/**
 * A transition the user can see: in the handler's component,
 *   const [runLotsPending, startRunLotsTransition] = useTransition();
 * the handler's updates run in `startRunLotsTransition(() => …)`, and the component's root
 * element shows `isPending` while React renders (`aria-busy`, and a dimmed opacity when the
 * element has no style of its own). For a render that still produces a long frame, the interaction
 * then answers at once and says that something is coming, instead of looking ignored.
 *
 * The component may have any common shape (memo, forwardRef, default export, an arrow with an
 * expression body, which gets a block). A class component cannot call hooks: the codemod says
 * so and points to the plain transition codemod.
 */
import { capital, CodemodError, expressionFrom, freshName, lineOf, parseModule, reactApi, resultOf, t, touch, touchLine, type Module, type NodePath } from './ast.ts';
import { blockBody, classComponentError } from './components.ts';
import { findHandler, type SourcePosition } from './handlers.ts';
import type { CodemodResult } from './result.ts';
import { transitionableSetters, urgentOnly, wrapSetterCalls } from './transition.ts';

export interface PendingTransitionTarget {
  handler: string;
  at?: SourcePosition | null;
  /** The component the handler is defined in (for the report; the handler's enclosing component is used). */
  component?: string | null;
  setters?: string[];
}

/**
 * A readable identifier from a handler's name: its own binding when it has one, else the name
 * without the owner (`App.removeFromCart` → `removeFromCart`, `Main.RUN_LOTS` → `runLots`,
 * `Main.onClick[Create 1000 rows]` → `onClickCreate1000Rows`).
 */
export function identifierFor(handler: string, binding: string | null): string {
  if (binding && /^[A-Za-z_$][\w$]*$/.test(binding)) return binding;
  const member = handler.includes('.') ? handler.slice(handler.indexOf('.') + 1) : handler;
  const words = member.split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/).filter(Boolean);
  const id = words.map((w, i) => (i === 0 ? w.toLowerCase() : capital(w.toLowerCase()))).join('');
  return id === '' ? 'handler' : /^[0-9]/.test(id) ? `on${id}` : id;
}

/** The JSX elements the render function returns at its top level (not from nested functions). */
function returnedRoots(fn: NodePath<t.Function>): NodePath<t.JSXElement>[] {
  const roots: NodePath<t.JSXElement>[] = [];
  const body = fn.get('body') as NodePath;
  if (body.isJSXElement()) return [body];
  body.traverse({
    Function(p) {
      p.skip();
    },
    ReturnStatement(p) {
      const arg = p.get('argument');
      if (arg.isJSXElement()) roots.push(arg);
      // `return cond ? <a/> : <b/>` and `return x && <a/>`: each branch is a root.
      else if (arg.isConditionalExpression()) for (const b of [arg.get('consequent'), arg.get('alternate')]) if (b.isJSXElement()) roots.push(b);
    },
  });
  return roots;
}

function hasAttribute(el: t.JSXOpeningElement, name: string): boolean {
  return el.attributes.some((a) => t.isJSXAttribute(a) && t.isJSXIdentifier(a.name) && a.name.name === name);
}

function showPending(mod: Module, fn: NodePath<t.Function>, pending: string): string[] {
  const shown: string[] = [];
  for (const root of returnedRoots(fn)) {
    const open = root.node.openingElement;
    // Only a DOM element is sure to render these attributes; a component may not forward them.
    if (!t.isJSXIdentifier(open.name) || !/^[a-z]/.test(open.name.name)) continue;
    const before = open.attributes.length;
    if (!hasAttribute(open, 'aria-busy')) open.attributes.push(t.jsxAttribute(t.jsxIdentifier('aria-busy'), t.jsxExpressionContainer(t.identifier(pending))));
    if (!hasAttribute(open, 'style')) {
      open.attributes.push(
        t.jsxAttribute(
          t.jsxIdentifier('style'),
          t.jsxExpressionContainer(expressionFrom(mod, `${pending} ? { opacity: 0.6 } : undefined`)),
        ),
      );
    }
    if (open.attributes.length > before) {
      touch(mod, open);
      shown.push(`<${open.name.name}> (line ${lineOf(open) ?? '?'})`);
    }
  }
  return shown;
}

export function wrapUpdatesInPendingTransition(source: string, file: string, target: PendingTransitionTarget): CodemodResult {
  const mod = parseModule(source, file);
  const site = findHandler(mod, target);
  const component = site.component;
  if (component?.kind === 'class') {
    throw classComponentError(mod, component, 'useTransition (a hook)', `the transition codemod moves ${target.handler}'s setState into startTransition instead (no isPending), or convert ${component.name} to a function component`);
  }
  if (!component?.fn) {
    throw new CodemodError(file, lineOf(site.fn.node), `handler "${target.handler}" is not defined in a function component: useTransition needs one (the transition codemod uses startTransition, which needs none)`);
  }
  const filter = transitionableSetters(mod, site, target.setters, target.handler);
  const taken = new Set<string>();
  const base = identifierFor(target.handler, site.binding);
  const pending = freshName(mod, `${base}Pending`, taken);
  const start = freshName(mod, `start${capital(base)}Transition`, taken);
  const edits = wrapSetterCalls(mod, site.fn, filter, () => t.identifier(start), start);
  if (edits.length === 0) {
    if (filter.urgent.size > 0) throw urgentOnly(mod, site, target.handler, filter.urgent);
    throw new CodemodError(file, lineOf(site.fn.node), `handler "${target.handler}" makes no state update outside a transition to wrap`);
  }
  const useTransition = reactApi(mod, 'useTransition');
  const wasBlock = t.isBlockStatement(component.fn.node.body);
  const firstLine = lineOf(wasBlock ? (component.fn.node.body as t.BlockStatement).body[0] : component.fn.node.body);
  const body = blockBody(component.fn);
  if (!wasBlock) touch(mod, component.fn.node);
  else touchLine(mod, firstLine ?? lineOf(body.node));
  // First statement of the component: hooks run unconditionally, before any early return.
  body.unshiftContainer(
    'body',
    t.variableDeclaration('const', [t.variableDeclarator(t.arrayPattern([t.identifier(pending), t.identifier(start)]), t.callExpression(useTransition, []))]),
  );
  edits.unshift(`const [${pending}, ${start}] = useTransition() in ${component.name}`);
  const shown = showPending(mod, component.fn, pending);
  edits.push(
    shown.length > 0
      ? `${shown.join(', ')} shows ${pending} while the transition renders (aria-busy, dimmed)`
      : `no DOM element is returned at the top of ${component.name}: show ${pending} where it fits`,
  );
  return resultOf(mod, edits);
}
