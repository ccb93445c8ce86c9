/**
 * Defers a state value that drives heavy rendering: after `const [q, setQ] = useState(...)`
 * adds `const deferredQ = useDeferredValue(q)` and renders from it, while event handlers and
 * controlled inputs keep reading the live value (so typing stays urgent).
 */
import * as recast from 'recast';
import { b, CodemodError, ensureNamedImport, findComponent, lineOf, localImportName, n, parseSource, printSource, type NodePath } from './ast.ts';
import type { CodemodResult } from './result.ts';

const CONTROLLED = new Set(['value', 'checked', 'defaultValue', 'defaultChecked']);

export function deferValue(source: string, file: string, target: { component: string; state: string }): CodemodResult {
  const ast = parseSource(source, file);
  const component = findComponent(ast, target.component, file);
  const fnBody = (component.node as recast.types.namedTypes.FunctionDeclaration).body;
  if (!n.BlockStatement.check(fnBody)) throw new CodemodError(file, lineOf(component.node), `${target.component} has no block body`);
  const statements = fnBody.body;
  const declIndex = statements.findIndex(
    (s) =>
      n.VariableDeclaration.check(s) &&
      s.declarations.some((d) => n.VariableDeclarator.check(d) && n.ArrayPattern.check(d.id) && n.Identifier.check(d.id.elements[0]) && d.id.elements[0].name === target.state),
  );
  if (declIndex < 0) throw new CodemodError(file, lineOf(component.node), `no \`const [${target.state}, …] = useState(…)\` in ${target.component}`);
  const useDeferred = localImportName(ast, 'react', 'useDeferredValue') ?? 'useDeferredValue';
  const deferred = `deferred${target.state.charAt(0).toUpperCase()}${target.state.slice(1)}`;
  let replaced = 0;
  // Render-time reads after the declaration: top-level statements and JSX, not nested functions.
  statements.slice(declIndex + 1).forEach((_s, k) => {
    const idx = declIndex + 1 + k;
    recast.visit(statements[idx] as recast.types.namedTypes.Node, {
      visitFunction() {
        return false;
      },
      visitJSXAttribute(path: NodePath) {
        const attr = path.node as recast.types.namedTypes.JSXAttribute;
        if (n.JSXIdentifier.check(attr.name) && CONTROLLED.has(attr.name.name)) return false;
        this.traverse(path);
        return undefined;
      },
      visitIdentifier(path: NodePath) {
        // ast-types visits JSXIdentifier (tag and attribute names) as Identifier too.
        if (n.JSXIdentifier.check(path.node)) return false;
        const id = path.node as recast.types.namedTypes.Identifier;
        const parent = path.parent?.node;
        const isRead =
          id.name === target.state &&
          !(n.MemberExpression.check(parent) && parent.property === id && !parent.computed) &&
          !(n.ObjectProperty.check(parent) && parent.key === id && !parent.shorthand) &&
          !n.VariableDeclarator.check(parent);
        if (isRead) {
          if (n.ObjectProperty.check(parent) && parent.shorthand) {
            parent.shorthand = false;
            parent.value = b.identifier(deferred);
          } else path.replace(b.identifier(deferred));
          replaced++;
        }
        return false;
      },
    });
  });
  if (replaced === 0) throw new CodemodError(file, lineOf(statements[declIndex]!), `${target.state} is not read while rendering ${target.component}`);
  statements.splice(
    declIndex + 1,
    0,
    b.variableDeclaration('const', [b.variableDeclarator(b.identifier(deferred), b.callExpression(b.identifier(useDeferred), [b.identifier(target.state)]))]),
  );
  if (useDeferred === 'useDeferredValue') ensureNamedImport(ast, 'react', 'useDeferredValue');
  return {
    file,
    before: source,
    after: printSource(ast, source),
    edits: [`${target.component}: renders from ${deferred} = useDeferredValue(${target.state}) (${replaced} reads)`],
  };
}
