/**
 * Components in the shapes real apps write them, for the codemods that need "the component":
 *
 *   function Row() {}                    const Row = () => …            const Row = function () {}
 *   const Row = memo(() => …)            const Row = React.memo(…)      const Row = forwardRef((p, ref) => …)
 *   const Row = memo(forwardRef(…))      export default function () {}  export default memo(() => …)
 *   class Row extends Component {}       class Row extends React.PureComponent {}
 *
 * A function component's *render function* is the innermost function (inside memo/forwardRef):
 * that is where hooks go. An anonymous default export is named after its file, as the build
 * plugin names it (`src/TodoList.tsx` → `TodoList`).
 */
import { CodemodError, reactNames, t, type Module, type NodePath } from './ast.ts';

export type ComponentWrapper = 'memo' | 'forwardRef';

export interface ComponentSite {
  name: string;
  /** `function`: a function component; `hook`: a custom hook (`useX`), which may call hooks but renders nothing; `class`: a class component. */
  kind: 'function' | 'hook' | 'class';
  /** The render function (function components and hooks). */
  fn: NodePath<t.Function> | null;
  cls: NodePath<t.Class> | null;
  /** What wraps the render function, outermost first. */
  wrappers: ComponentWrapper[];
  /**
   * The component as a value: the function or class declaration, or the outermost expression
   * (the declarator's init or the default export), i.e. what `memo(…)` would wrap.
   */
  outer: NodePath;
  /** The top-level statement that declares it (an export included). */
  statement: NodePath<t.Statement> | null;
  /** Whether the module exports it, and how. */
  exported: 'named' | 'default' | null;
}

export const isComponentName = (s: string) => /^[A-Z]/.test(s);
export const isHookName = (s: string) => /^use[A-Z0-9]/.test(s);

/** `src/components/TodoList.jsx` → `TodoList` (index files: their folder), as the build plugin names anonymous default exports. */
export function fileOwner(file: string): string {
  const parts = file.split(/[\\/]/);
  const stem = (parts[parts.length - 1] ?? file).replace(/\.[^.]+$/, '');
  return stem === 'index' ? (parts[parts.length - 2] ?? stem) : stem;
}

/** `memo(…)`, `React.memo(…)`, `forwardRef(…)`, `React.forwardRef(…)`: which wrapper a call is. */
export function wrapperOf(mod: Module, node: t.Node): ComponentWrapper | null {
  if (!t.isCallExpression(node)) return null;
  const callee = node.callee;
  const text = t.isIdentifier(callee) ? callee.name : t.isMemberExpression(callee) && t.isIdentifier(callee.object) && t.isIdentifier(callee.property) && !callee.computed ? `${callee.object.name}.${callee.property.name}` : null;
  if (text === null) return null;
  if (reactNames(mod, 'memo').has(text)) return 'memo';
  if (reactNames(mod, 'forwardRef').has(text)) return 'forwardRef';
  return null;
}

/** Parentheses, `as`, `satisfies` and `!` around an expression. */
function isTransparent(node: t.Node): boolean {
  return t.isParenthesizedExpression(node) || t.isTSAsExpression(node) || t.isTSSatisfiesExpression(node) || t.isTSNonNullExpression(node);
}

/** Peels memo/forwardRef (and parentheses or type assertions) off a component value. */
export function unwrapComponent(mod: Module, value: NodePath): { inner: NodePath; wrappers: ComponentWrapper[] } {
  const wrappers: ComponentWrapper[] = [];
  let p = value;
  for (let i = 0; i < 8; i++) {
    if (isTransparent(p.node)) {
      p = p.get('expression') as NodePath;
      continue;
    }
    const w = wrapperOf(mod, p.node);
    if (w && (p.node as t.CallExpression).arguments.length > 0) {
      wrappers.push(w);
      p = (p as NodePath<t.CallExpression>).get('arguments')[0] as NodePath;
      continue;
    }
    break;
  }
  return { inner: p, wrappers };
}

/** True for a class that extends something named Component/PureComponent, or has a render method. */
function isClassComponent(cls: t.Class): boolean {
  const sup = cls.superClass;
  const supName = t.isIdentifier(sup) ? sup.name : t.isMemberExpression(sup) && t.isIdentifier(sup.property) ? sup.property.name : null;
  if (supName && /Component$/.test(supName)) return true;
  return cls.body.body.some((m) => t.isClassMethod(m) && t.isIdentifier(m.key) && m.key.name === 'render');
}

/** What statement, export and name a top-level value has: `const X = v`, `export const X = v`, `export default v`. */
function declared(value: NodePath): { statement: NodePath<t.Statement> | null; name: string | null; exported: ComponentSite['exported'] } {
  let p: NodePath | null = value;
  // Out through wrappers and transparent nodes to the value a declarator or export holds.
  while (p.parentPath && (isTransparent(p.parentPath.node) || (t.isCallExpression(p.parentPath.node) && p.listKey === 'arguments'))) p = p.parentPath;
  const parent: NodePath | null = p.parentPath;
  if (!parent) return { statement: null, name: null, exported: null };
  if (parent.isVariableDeclarator() && t.isIdentifier(parent.node.id)) {
    const decl = parent.parentPath;
    const stmt = decl?.parentPath?.isExportNamedDeclaration() ? decl.parentPath : decl;
    return { statement: (stmt as NodePath<t.Statement>) ?? null, name: parent.node.id.name, exported: decl?.parentPath?.isExportNamedDeclaration() ? 'named' : null };
  }
  if (parent.isExportDefaultDeclaration()) return { statement: parent, name: null, exported: 'default' };
  return { statement: null, name: null, exported: null };
}

/** The component (or hook) a function is the render function of, or null. */
export function componentOfFunction(mod: Module, fn: NodePath<t.Function>): ComponentSite | null {
  if (fn.isClassMethod() || fn.isClassPrivateMethod() || fn.isObjectMethod()) return null;
  const own = (fn.node as t.FunctionDeclaration | t.FunctionExpression).id?.name ?? null;
  if (fn.isFunctionDeclaration()) {
    const parent = fn.parentPath;
    const exported = parent.isExportNamedDeclaration() ? 'named' : parent.isExportDefaultDeclaration() ? 'default' : null;
    const statement = (exported ? parent : fn) as NodePath<t.Statement>;
    const name = own ?? (exported === 'default' ? fileOwner(mod.file) : null);
    if (!name || !(isComponentName(name) || isHookName(name) || (exported === 'default' && !own))) return null;
    return { name, kind: isHookName(name) ? 'hook' : 'function', fn, cls: null, wrappers: [], outer: fn, statement: parent.isProgram() || exported ? statement : null, exported };
  }
  // An expression: find how far wrappers reach, and what holds the outermost value.
  let outer: NodePath = fn;
  const wrappers: ComponentWrapper[] = [];
  for (let p: NodePath | null = fn.parentPath; p; p = p.parentPath) {
    if (isTransparent(p.node)) {
      outer = p;
      continue;
    }
    const w = wrapperOf(mod, p.node);
    if (w && (p.node as t.CallExpression).arguments[0] === outer.node) {
      wrappers.unshift(w);
      outer = p;
      continue;
    }
    break;
  }
  const { statement, name: bound, exported } = declared(outer);
  const name = bound ?? own ?? (exported === 'default' ? fileOwner(mod.file) : null);
  if (!name) return null;
  const isComponent = wrappers.length > 0 || isComponentName(name) || (exported === 'default' && !bound);
  if (!isComponent && !isHookName(name)) return null;
  return { name, kind: !isComponent ? 'hook' : 'function', fn, cls: null, wrappers, outer, statement: statement?.parentPath?.isProgram() ? statement : null, exported };
}

function classSite(mod: Module, cls: NodePath<t.Class>): ComponentSite | null {
  if (!isClassComponent(cls.node)) return null;
  if (cls.isClassDeclaration()) {
    const parent = cls.parentPath;
    const exported = parent.isExportNamedDeclaration() ? 'named' : parent.isExportDefaultDeclaration() ? 'default' : null;
    const name = cls.node.id?.name ?? fileOwner(mod.file);
    return { name, kind: 'class', fn: null, cls, wrappers: [], outer: cls, statement: (exported ? parent : cls) as NodePath<t.Statement>, exported };
  }
  const { statement, name, exported } = declared(cls);
  return { name: name ?? cls.node.id?.name ?? fileOwner(mod.file), kind: 'class', fn: null, cls, wrappers: [], outer: cls, statement, exported };
}

/**
 * The component a path (a handler, a JSX element) belongs to: its nearest enclosing render
 * function, or the class component it is a member of.
 */
export function componentAt(mod: Module, path: NodePath): ComponentSite | null {
  for (let p: NodePath | null = path.isFunction() ? path : path.parentPath; p; p = p.parentPath) {
    if (p.isClass()) {
      const site = classSite(mod, p);
      if (site) return site;
    }
    if (p.isFunction()) {
      const site = componentOfFunction(mod, p);
      if (site) return site;
    }
  }
  return null;
}

/** Every top-level component, hook and class component of the module. */
export function componentsOf(mod: Module): ComponentSite[] {
  const out: ComponentSite[] = [];
  for (const stmt of mod.program.get('body')) {
    const decl: NodePath = stmt.isExportNamedDeclaration() || stmt.isExportDefaultDeclaration() ? (stmt.get('declaration') as NodePath) : stmt;
    if (!decl.node) continue;
    const values: NodePath[] = decl.isVariableDeclaration() ? decl.get('declarations').map((d) => d.get('init') as NodePath).filter((v) => v.node) : [decl];
    for (const value of values) {
      if (value.isClass()) {
        const site = classSite(mod, value);
        if (site) out.push(site);
        continue;
      }
      const { inner } = unwrapComponent(mod, value);
      if (inner.isFunction()) {
        const site = componentOfFunction(mod, inner);
        if (site) out.push(site);
      } else if (inner.isClass()) {
        const site = classSite(mod, inner);
        if (site) out.push(site);
      }
    }
  }
  return out;
}

/** A top-level component by name (an anonymous default export answers to its file's name, and to `default`). */
export function findComponent(mod: Module, name: string): ComponentSite {
  const all = componentsOf(mod);
  const found = all.find((c) => c.name === name) ?? (name === 'default' ? all.find((c) => c.exported === 'default') : undefined);
  if (!found) {
    const known = all.map((c) => c.name);
    throw new CodemodError(mod.file, null, `no component named "${name}"${known.length ? ` (components here: ${known.join(', ')})` : ''}`);
  }
  return found;
}

/** The render function's body as a block: an expression body (`() => <div/>`) becomes `{ return <div/>; }` so hooks can go first. */
export function blockBody(fn: NodePath<t.Function>): NodePath<t.BlockStatement> {
  const body = fn.get('body') as NodePath;
  if (body.isBlockStatement()) return body;
  const expr = body.node as t.Expression;
  const block = t.blockStatement([t.returnStatement(expr)]);
  body.replaceWith(block);
  return fn.get('body') as NodePath<t.BlockStatement>;
}

/** A CodemodError for a codemod that needs hooks, on a class component: says so and what to do instead. */
export function classComponentError(mod: Module, site: ComponentSite, what: string, instead: string): CodemodError {
  return new CodemodError(mod.file, site.cls?.node.loc?.start.line ?? null, `${site.name} is a class component: ${what} cannot be used in a class; ${instead}`);
}

/** True for a path inside a TypeScript type (`f<Props>(…)`, `x as T`), below `stop`: those names are types, not values. */
function inType(path: NodePath, stop: NodePath): boolean {
  for (let p: NodePath | null = path.parentPath; p && p !== stop; p = p.parentPath) {
    if (p.isTSType() || p.isTSTypeParameterInstantiation() || p.isTSTypeAnnotation()) return true;
  }
  return false;
}

/**
 * The render function's own bindings (props, state, locals) that `expr` reads, in order of first
 * read: Babel's references, not names, so keys, property names, types and bindings declared
 * inside `expr` (a callback's parameters) do not count; module-level names never change between
 * renders and do not count either.
 */
export function componentReads(expr: NodePath, fn: NodePath<t.Function>): string[] {
  const out: string[] = [];
  const visit = (p: NodePath<t.Identifier | t.JSXIdentifier>) => {
    if (!p.isReferencedIdentifier() || inType(p, expr)) return;
    const binding = p.scope.getBinding(p.node.name);
    if (!binding || binding.path === expr || binding.path.isDescendant(expr)) return;
    if ((binding.scope === fn.scope || binding.path.isDescendant(fn)) && !out.includes(p.node.name)) out.push(p.node.name);
  };
  if (expr.isIdentifier() || expr.isJSXIdentifier()) visit(expr);
  expr.traverse({ Identifier: visit, JSXIdentifier: visit });
  return out;
}
