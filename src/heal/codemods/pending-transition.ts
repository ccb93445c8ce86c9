/**
 * A transition the user can see: in the handler's component,
 *   const [runLotsPending, startRunLotsTransition] = useTransition();
 * the handler's updates run in `startRunLotsTransition(() => …)`, and the component's root
 * element shows `isPending` while React renders (`aria-busy`, and a dimmed opacity when the
 * element has no style of its own). For a render that still produces a long frame, the interaction
 * then answers at once and says that something is coming, instead of looking ignored.
 */
import * as recast from 'recast';
import { b, CodemodError, ensureNamedImport, findHandler, lineOf, localImportName, n, parseSource, printSource, type AstNode, type NodePath } from './ast.ts';
import type { CodemodResult } from './result.ts';
import { inlineHandlerFunction, transitionableSetters, wrapSetterCalls } from './transition.ts';

export interface PendingTransitionTarget {
  handler: string;
  /** The component the handler is defined in (for the report; the handler's enclosing function is used). */
  component?: string;
  setters?: string[];
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const identifierPart = (s: string) => s.replace(/[^A-Za-z0-9_$]/g, '') || 'handler';

/** Every identifier name in the file, so new bindings never shadow one. */
function namesIn(ast: recast.types.namedTypes.File): Set<string> {
  const out = new Set<string>();
  recast.visit(ast, {
    visitIdentifier(p) {
      out.add(p.node.name);
      this.traverse(p);
    },
  });
  return out;
}

function unique(base: string, taken: Set<string>): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}${i}`;
  taken.add(name);
  return name;
}

/** The JSX elements the component returns at its top level (not from nested functions). */
function returnedRoots(component: NodePath): recast.types.namedTypes.JSXElement[] {
  const roots: recast.types.namedTypes.JSXElement[] = [];
  const fn = component.node as AstNode;
  const body = (fn as unknown as { body: recast.types.namedTypes.Node }).body;
  if (n.JSXElement.check(body)) return [body];
  recast.visit(body, {
    visitFunction() {
      return false;
    },
    visitReturnStatement(p) {
      const arg = p.node.argument;
      if (n.JSXElement.check(arg)) roots.push(arg);
      return false;
    },
  });
  return roots;
}

function hasAttribute(el: recast.types.namedTypes.JSXOpeningElement, name: string): boolean {
  return (el.attributes ?? []).some((a) => n.JSXAttribute.check(a) && n.JSXIdentifier.check(a.name) && a.name.name === name);
}

export function wrapUpdatesInPendingTransition(source: string, file: string, target: PendingTransitionTarget): CodemodResult {
  const ast = parseSource(source, file);
  const site = findHandler(ast, target.handler, file);
  const fnNode = inlineHandlerFunction(site, file, target.handler);
  const component = site.component;
  const componentBody = component ? (component.node as unknown as { body: recast.types.namedTypes.Node }).body : null;
  if (!component || !n.BlockStatement.check(componentBody)) {
    throw new CodemodError(file, lineOf(fnNode), `handler "${target.handler}" is not defined in a function component with a block body: useTransition needs one`);
  }
  const wanted = transitionableSetters(site, target.setters, file, target.handler);
  const taken = namesIn(ast);
  const base = identifierPart(target.handler);
  const pending = unique(`${base}Pending`, taken);
  const start = unique(`start${capital(base)}Transition`, taken);
  const knownTransitions = new Set([start, 'startTransition', localImportName(ast, 'react', 'startTransition') ?? 'startTransition']);
  const edits = wrapSetterCalls(fnNode, wanted, start, knownTransitions, start);
  if (edits.length === 0) {
    throw new CodemodError(file, lineOf(fnNode), `handler "${target.handler}" makes no state update outside a transition to wrap`);
  }
  const useTransitionName = localImportName(ast, 'react', 'useTransition') ?? 'useTransition';
  // First statement of the component: hooks run unconditionally, before any early return.
  componentBody.body.unshift(
    b.variableDeclaration('const', [
      b.variableDeclarator(b.arrayPattern([b.identifier(pending), b.identifier(start)]), b.callExpression(b.identifier(useTransitionName), [])),
    ]),
  );
  edits.unshift(`const [${pending}, ${start}] = useTransition() in the component`);

  const shown: string[] = [];
  for (const root of returnedRoots(component)) {
    const open = root.openingElement;
    // Only a DOM element is sure to render these attributes; a component may not forward them.
    if (!n.JSXIdentifier.check(open.name) || !/^[a-z]/.test(open.name.name)) continue;
    if (!hasAttribute(open, 'aria-busy')) {
      open.attributes = [...(open.attributes ?? []), b.jsxAttribute(b.jsxIdentifier('aria-busy'), b.jsxExpressionContainer(b.identifier(pending)))];
      shown.push(`<${open.name.name}> (line ${lineOf(open) ?? '?'})`);
    }
    if (!hasAttribute(open, 'style')) {
      open.attributes = [
        ...(open.attributes ?? []),
        b.jsxAttribute(
          b.jsxIdentifier('style'),
          b.jsxExpressionContainer(
            b.conditionalExpression(b.identifier(pending), b.objectExpression([b.objectProperty(b.identifier('opacity'), b.numericLiteral(0.6))]), b.identifier('undefined')),
          ),
        ),
      ];
    }
  }
  edits.push(
    shown.length > 0
      ? `${shown.join(', ')} shows ${pending} while the transition renders (aria-busy, dimmed)`
      : `no DOM element is returned at the top of the component: show ${pending} where it fits`,
  );
  if (useTransitionName === 'useTransition') ensureNamedImport(ast, 'react', 'useTransition');
  return { file, before: source, after: printSource(ast, source), edits };
}
