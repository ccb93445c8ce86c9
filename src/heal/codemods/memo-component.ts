/**
 * Wraps a function component in `React.memo`, so it skips re-rendering when its props are equal:
 *
 *   function Row(p) {…}            → const Row = memo(function Row(p) {…});
 *   export default function Row()  → const Row = memo(function Row() {…}); export default Row;
 *   export default function ()     → export default memo(function () {…});
 *   const Row = (p) => …           → const Row = memo((p) => …);
 *   const Row = forwardRef(…)      → const Row = memo(forwardRef(…));
 *   export default forwardRef(…)   → export default memo(forwardRef(…));
 *   const Row: FC<P> = (p) => …    → const Row = memo(((p) => …) satisfies FC<P>);
 *
 * A generic TypeScript component keeps its type parameters for callers: memo's type erases
 * them, so the memoised value is typed as the function (`as typeof RowImpl`). A class component
 * is refused with the class equivalent (PureComponent, shouldComponentUpdate).
 */
import { CodemodError, lineOf, moveComments, parseModule, reactApi, resultOf, t, touch, type Module, type NodePath } from './ast.ts';
import { findComponent, type ComponentSite } from './components.ts';
import type { CodemodResult } from './result.ts';

/** A function declaration turned into a `memo(function …)` expression argument. */
function asExpression(decl: t.FunctionDeclaration): t.FunctionExpression {
  const fn = t.functionExpression(decl.id ?? null, decl.params, decl.body, decl.generator, decl.async);
  fn.typeParameters = decl.typeParameters ?? null;
  fn.returnType = decl.returnType ?? null;
  return fn;
}

/** True when code at the module's top level uses the binding before its declaration (a `const` would be in its temporal dead zone there). */
function usedBeforeDeclared(site: ComponentSite, name: string): boolean {
  const binding = site.outer.scope.getBinding(name);
  const start = site.statement?.node.start ?? 0;
  return !!binding?.referencePaths.some((ref) => (ref.node.start ?? 0) < start && !ref.getFunctionParent());
}

function memoCall(mod: Module, value: t.Expression): t.CallExpression {
  return t.callExpression(reactApi(mod, 'memo'), [value]);
}

export function memoizeComponent(source: string, file: string, target: { component: string }): CodemodResult {
  const mod = parseModule(source, file);
  const site = findComponent(mod, target.component);
  const name = target.component;
  const line = lineOf(site.outer.node);
  if (site.kind === 'class') {
    throw new CodemodError(file, line, `${site.name} is a class component: React.memo is for function components; extend PureComponent instead of Component, or implement shouldComponentUpdate, to skip renders with equal props`);
  }
  if (site.kind === 'hook') throw new CodemodError(file, line, `${site.name} is a hook, not a component: nothing to memoise`);
  if (site.wrappers[0] === 'memo') throw new CodemodError(file, line, `"${name}" is already memoised`);
  const fn = site.fn!.node;
  if (fn.async || fn.generator) throw new CodemodError(file, line, `"${name}" is not a plain function component`);
  if (!site.statement) throw new CodemodError(file, line, `"${name}" is not declared at the top level of the module: wrap it in memo where it is created`);
  const statement = site.statement;
  const generic = !!(fn as t.FunctionDeclaration).typeParameters && /\.[cm]?tsx?$/.test(file);

  if (site.outer.isFunctionDeclaration()) {
    const decl = site.outer.node;
    const exported = site.exported;
    const own = decl.id?.name ?? null;
    if (own && usedBeforeDeclared(site, own)) {
      throw new CodemodError(file, line, `${own} is used at the top of the module before its declaration; as a memo(…) constant it would not exist yet there`);
    }
    touch(mod, statement.node);
    if (!own) {
      // `export default function () {}`: the default export itself becomes the memoised value.
      const replacement = t.exportDefaultDeclaration(memoCall(mod, asExpression(decl)));
      moveComments(statement.node, replacement);
      statement.replaceWith(replacement);
      return resultOf(mod, [`line ${line ?? '?'}: the default export wrapped in memo()`]);
    }
    const statements: t.Statement[] = [];
    if (generic) {
      // memo's type drops type parameters: keep the function, type the memoised value as it.
      const impl = `${own}Impl`;
      if (mod.program.scope.hasBinding(impl)) throw new CodemodError(file, line, `cannot name the unmemoised ${own}: ${impl} is taken`);
      statements.push(t.functionDeclaration(t.identifier(impl), decl.params, decl.body, decl.generator, decl.async));
      Object.assign(statements[0]!, { typeParameters: decl.typeParameters, returnType: decl.returnType });
      const value = t.tsAsExpression(memoCall(mod, t.identifier(impl)), t.tsTypeQuery(t.identifier(impl)));
      const constDecl = t.variableDeclaration('const', [t.variableDeclarator(t.identifier(own), value)]);
      statements.push(exported === 'named' ? t.exportNamedDeclaration(constDecl) : constDecl);
    } else {
      const constDecl = t.variableDeclaration('const', [t.variableDeclarator(t.identifier(own), memoCall(mod, asExpression(decl)))]);
      statements.push(exported === 'named' ? t.exportNamedDeclaration(constDecl) : constDecl);
    }
    if (exported === 'default') statements.push(t.exportDefaultDeclaration(t.identifier(own)));
    // The doc comment belongs to the statement we replace.
    moveComments(statement.node, statements[0]!, statements[statements.length - 1]!);
    statement.replaceWithMultiple(statements);
    return resultOf(mod, [`line ${line ?? '?'}: ${own} wrapped in memo()`]);
  }

  // An expression: the declarator's init or the default export's value.
  const outer = site.outer as NodePath<t.Expression>;
  touch(mod, outer.node);
  if (generic && site.wrappers.length === 0) {
    const holder = outer.parentPath;
    if (!holder?.isVariableDeclarator() || !t.isIdentifier(holder.node.id)) throw new CodemodError(file, line, `cannot memoise the generic ${name} in place: declare it as a named function first`);
    const impl = `${name}Impl`;
    if (mod.program.scope.hasBinding(impl)) throw new CodemodError(file, line, `cannot name the unmemoised ${name}: ${impl} is taken`);
    // const List = <T,>(…) => …  →  const ListImpl = <T,>(…) => …; const List = memo(ListImpl) as typeof ListImpl;
    touch(mod, statement.node);
    const original = outer.node;
    const implDecl = t.variableDeclaration('const', [t.variableDeclarator(t.identifier(impl), original)]);
    const memoDecl = t.variableDeclaration('const', [t.variableDeclarator(t.identifier(name), t.tsAsExpression(memoCall(mod, t.identifier(impl)), t.tsTypeQuery(t.identifier(impl))))]);
    const exported = statement.isExportNamedDeclaration();
    const replacement = [implDecl, exported ? t.exportNamedDeclaration(memoDecl) : memoDecl];
    moveComments(statement.node, replacement[0]!, replacement[1]!);
    statement.replaceWithMultiple(replacement);
    return resultOf(mod, [`line ${line ?? '?'}: ${name} wrapped in memo()`]);
  }
  const holder = outer.parentPath;
  const annotation = holder?.isVariableDeclarator() && t.isIdentifier(holder.node.id) && t.isTSTypeAnnotation(holder.node.id.typeAnnotation) ? holder.node.id.typeAnnotation : null;
  let value: t.Expression = outer.node;
  if (annotation && holder?.isVariableDeclarator()) {
    // `const Row: FC<Props> = …`: a memo object is not an FC. The function still gets the type
    // (it types its parameters, and is checked against it) through `satisfies`.
    touch(mod, holder.node);
    value = t.tsSatisfiesExpression(t.parenthesizedExpression(outer.node), annotation.typeAnnotation);
    (holder.node.id as t.Identifier).typeAnnotation = null;
  }
  const call = memoCall(mod, value);
  outer.replaceWith(call);
  outer.skip();
  return resultOf(mod, [`line ${line ?? '?'}: ${name} wrapped in memo()`]);
}

