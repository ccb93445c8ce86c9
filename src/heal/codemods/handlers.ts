/**
 * Where a handler is in a file, whichever way it was named:
 * - explicitly, `useHandler('name', fn)` / `instrument('name', fn)` with that literal name;
 * - by the build plugin, which names functions itself (`App.removeFromCart`, an inline
 *   `onClick={() => …}`, a callback given to a prop): found by the source location the plugin
 *   and the docs analysis record (1-based line and column of the function, or of the value the
 *   plugin wraps), so a codemod never depends on how names are made.
 * A function given by name (`useHandler('x', save)`, `onClick={save}`) is followed through
 * Babel's binding to its definition in the same file.
 */
import { CodemodError, localImportName, t, type Module, type NodePath } from './ast.ts';
import { componentAt, type ComponentSite } from './components.ts';

/** Where the analysis saw the handler: 1-based line and column of its function (or of the value the plugin wraps). */
export interface SourcePosition {
  line: number;
  column: number;
}

export interface HandlerTarget {
  handler: string;
  at?: SourcePosition | null;
}

export interface HandlerSite {
  /** The explicit wrapper call, when the handler is named by one. */
  call: NodePath<t.CallExpression> | null;
  /** The handler's function: where its state updates are. */
  fn: NodePath<t.Function>;
  /** The component (or class component, or hook) it is defined in. */
  component: ComponentSite | null;
  /** The name its function is bound to, if any (`const runLots = …`, `function save`, a class member), for naming new bindings. */
  binding: string | null;
}

/** Local names under which Homeostat's wrappers are imported (`instrument`, `useHandler`). */
function wrapperNames(mod: Module): Set<string> {
  const names = new Set<string>();
  for (const module of ['homeostat', 'homeostat/react']) {
    for (const fn of ['instrument', 'useHandler']) {
      const local = localImportName(mod, module, fn);
      if (local) names.add(local);
    }
  }
  return names;
}

const PASS_THROUGH = /^(React\.)?(useCallback|useEffectEvent)$/;

function calleeName(node: t.Node): string | null {
  if (t.isIdentifier(node)) return node.name;
  if (t.isMemberExpression(node) && t.isIdentifier(node.object) && t.isIdentifier(node.property) && !node.computed) return `${node.object.name}.${node.property.name}`;
  return null;
}

/**
 * The function a value is: itself, the function inside `useCallback(fn)`, or, for an identifier,
 * its binding's definition in this file. Throws when it is defined in another module.
 */
export function resolveFunction(mod: Module, value: NodePath, handler: string): NodePath<t.Function> | null {
  let p = value;
  for (let i = 0; i < 6; i++) {
    if (p.isFunction()) return p;
    if (p.isTSAsExpression() || p.isTSSatisfiesExpression() || p.isParenthesizedExpression() || p.isTSNonNullExpression()) {
      p = p.get('expression') as NodePath;
      continue;
    }
    if (p.isCallExpression()) {
      const name = calleeName(p.node.callee);
      const args = p.get('arguments');
      if (name && PASS_THROUGH.test(name) && args[0]) {
        p = args[0] as NodePath;
        continue;
      }
      // `useHandler('name', fn)` / `instrument('name', fn)`: the function it wraps.
      if (name && wrapperNames(mod).has(name) && args[1]) {
        p = args[1] as NodePath;
        continue;
      }
      return null;
    }
    if (p.isMemberExpression() && t.isThisExpression(p.node.object) && t.isIdentifier(p.node.property)) {
      // `onClick={this.save}`: the class member.
      const cls = p.findParent((x) => x.isClass()) as NodePath<t.Class> | null;
      const key = p.node.property.name;
      const member = cls?.get('body').get('body').find((m) => (m.isClassMethod() || m.isClassProperty()) && t.isIdentifier(m.node.key) && m.node.key.name === key);
      if (!member) return null;
      p = member.isClassProperty() ? (member.get('value') as NodePath) : member;
      continue;
    }
    if (p.isIdentifier()) {
      const binding = p.scope.getBinding(p.node.name);
      if (!binding) return null;
      if (binding.kind === 'module') {
        const decl = binding.path.parentPath;
        const from = decl?.isImportDeclaration() ? decl.node.source.value : '?';
        throw new CodemodError(mod.file, p.node.loc?.start.line ?? null, `handler "${handler}" is ${p.node.name}, imported from ${from}: run the codemod on the module that defines it`);
      }
      if (binding.path.isFunctionDeclaration()) return binding.path;
      if (binding.path.isVariableDeclarator()) {
        const init = binding.path.get('init');
        if (!init.node) return null;
        p = init as NodePath;
        continue;
      }
      return null;
    }
    return null;
  }
  return null;
}

/** The name a function is bound to: its own, or the variable / class member it is the value of. */
export function boundName(fn: NodePath<t.Function>): string | null {
  const node = fn.node;
  if ((t.isFunctionDeclaration(node) || t.isFunctionExpression(node)) && node.id) return node.id.name;
  if ((t.isClassMethod(node) || t.isObjectMethod(node)) && t.isIdentifier(node.key)) return node.key.name;
  let p: NodePath | null = fn.parentPath;
  while (p && p.isCallExpression()) p = p.parentPath;
  if (p?.isVariableDeclarator() && t.isIdentifier(p.node.id)) return p.node.id.name;
  if ((p?.isClassProperty() || p?.isObjectProperty()) && t.isIdentifier((p.node as t.ClassProperty).key)) return ((p.node as t.ClassProperty).key as t.Identifier).name;
  return null;
}

function site(mod: Module, fn: NodePath<t.Function>, call: NodePath<t.CallExpression> | null): HandlerSite {
  let binding = boundName(fn);
  if (call?.parentPath.isVariableDeclarator() && t.isIdentifier(call.parentPath.node.id)) binding = call.parentPath.node.id.name;
  return { call, fn, component: componentAt(mod, fn), binding };
}

/** Finds handler `target.handler` in the module: by its explicit wrapper, else at `target.at`. */
export function findHandler(mod: Module, target: HandlerTarget): HandlerSite {
  const wrappers = wrapperNames(mod);
  let explicit: NodePath<t.CallExpression> | null = null;
  if (wrappers.size > 0) {
    mod.program.traverse({
      CallExpression(p) {
        const [first, second] = p.node.arguments;
        if (!explicit && t.isIdentifier(p.node.callee) && wrappers.has(p.node.callee.name) && t.isStringLiteral(first) && first.value === target.handler && second) {
          explicit = p;
          p.stop();
        }
      },
    });
  }
  if (explicit) {
    const call: NodePath<t.CallExpression> = explicit;
    const arg = call.get('arguments')[1] as NodePath;
    const fn = resolveFunction(mod, arg, target.handler);
    if (!fn) throw new CodemodError(mod.file, call.node.loc?.start.line ?? null, `handler "${target.handler}" wraps ${arg.toString().slice(0, 40)}, not a function defined in this file`);
    return site(mod, fn, call);
  }
  if (!target.at) {
    throw new CodemodError(
      mod.file,
      null,
      `no instrumented handler named "${target.handler}" (instrument/useHandler with that literal name), and no source location to find a plugin-named one at`,
    );
  }
  const fn = functionAt(mod, target.at, target.handler);
  const outer = fn.parentPath;
  const call = outer?.isCallExpression() && t.isIdentifier(outer.node.callee) && wrappers.has(outer.node.callee.name) ? outer : null;
  return site(mod, fn, call);
}

/** The function the plugin recorded at `at` (its start, 1-based column), or the function the value there resolves to. */
function functionAt(mod: Module, at: SourcePosition, handler: string): NodePath<t.Function> {
  const exact: NodePath[] = [];
  const onLine: NodePath<t.Function>[] = [];
  mod.program.traverse({
    enter(p) {
      const start = p.node.loc?.start;
      if (!start || start.line !== at.line) return;
      if (start.column === at.column - 1) exact.push(p);
      if (p.isFunction()) onLine.push(p);
    },
  });
  // Outermost first: a function before the identifier its name starts with, a wrapped value before its parts.
  const fn = exact.find((p) => p.isFunction()) as NodePath<t.Function> | undefined;
  if (fn) return fn;
  for (const p of exact) {
    if (p.isExpression()) {
      const resolved = resolveFunction(mod, p, handler);
      if (resolved) return resolved;
    }
  }
  // The position may point at the line only (an older analysis, a column counted differently): one function there is unambiguous.
  if (exact.length === 0 && onLine.length === 1) return onLine[0]!;
  const where = `${at.line}:${at.column}`;
  if (exact.length > 0) throw new CodemodError(mod.file, at.line, `handler "${handler}" at ${where} is not a function defined in this file (found ${exact[0]!.type})`);
  throw new CodemodError(
    mod.file,
    at.line,
    onLine.length > 1 ? `handler "${handler}": ${onLine.length} functions start on line ${at.line} and none at column ${at.column}` : `handler "${handler}": no function at ${where} (the file changed since it was analysed?)`,
  );
}
