/**
 * `@homeostat/tools/babel`: the zero-code instrumentation, as a Babel plugin (webpack's babel-loader,
 * Next.js with a Babel config); `@homeostat/tools/vite` runs the same plugin. It names and times, with
 * no change to what the app does:
 * - inline functions passed to JSX event props (`onClick={() => …}`) → `Component.onClick`;
 * - named functions that update React state (`setX(…)`, `dispatch(…)`, `this.setState(…)`) or
 *   that a JSX event prop refers to → `Component.fnName` (`fnName` at module level);
 * - other values given to JSX event props (`onClick={debounced}`, `onClick={make(id)}`) are
 *   wrapped where they are passed, with a cache so a stable function keeps a stable wrapper.
 *
 * Functions are instrumented in place: the function object stays the app's own (its identity,
 * `name`, `length`, source location in DevTools), and its body runs through `homeostat/auto`'s
 * `run`, so creating one (a handler per row of a list) costs nothing more than before.
 *
 * Explicit `instrument`/`useHandler`/`sequence` win: what is passed to them is left alone.
 * Opt out with a `homeostat-ignore` comment before a function, its declaration or the JSX
 * attribute, or `homeostat-ignore-file` anywhere in a file.
 */
import { relative, sep } from 'node:path';
import type { ConfigAPI, NodePath, PluginObj, PluginPass, types as BabelTypes } from '@babel/core';
import { emitInstrumentation } from './emit.ts';
import type { InstrumentedSite, SetupOptions } from './types.ts';

export type { InstrumentedSite, SetupOptions } from './types.ts';
import { forwardedProps, jsxComponentName, moduleForwarding } from './forwarding.ts';
import {
  EVENT_PROP,
  PASS_THROUGH_CALLS,
  STATE_HOOKS,
  disambiguate,
  fileOwner,
  hintText,
  isComponentName,
  isHookName,
  isSetterName,
  qualified,
} from './names.ts';

type T = typeof BabelTypes;
type Fn = BabelTypes.Function;



export interface HomeostatBabelOptions {
  /** Source locations are recorded relative to this directory (default: the current directory). */
  root?: string;
  /** Module the instrumented code imports its helpers from (default `homeostat/auto`). */
  runtime?: string;
  /**
   * Load the React adapter before react-dom and start recording, in modules that import
   * `react-dom`/`react-dom/client` (default true).
   */
  setup?: boolean | SetupOptions;
  /**
   * Imported components whose props reach DOM events (JSX element name → props), found by the
   * project analysis before the transform (`ForwardingProject.forModule`); the module's own
   * components are analysed here. Without it (babel-loader alone), only same-file components are followed.
   */
  forwarded?: Readonly<Record<string, readonly string[]>>;
  /** Analysis only: report each site here and leave the code unchanged. */
  onSite?: (site: InstrumentedSite) => void;
}

const IGNORE = /\bhomeostat-ignore\b(?!-file)/;
const IGNORE_FILE = /\bhomeostat-ignore-file\b/;
const EXPLICIT = new Set(['instrument', 'useHandler', 'sequence']);
const HOMEOSTAT_MODULE = /^homeostat(\/react|\/auto)?$/;
const REACT_DOM = /^react-dom(\/client)?$/;
/** React's class lifecycle: called by React, never by an event, so never a handler. */
const LIFECYCLE = new Set([
  'constructor', 'render', 'componentDidMount', 'componentDidUpdate', 'componentWillUnmount', 'shouldComponentUpdate',
  'getSnapshotBeforeUpdate', 'componentDidCatch', 'getDerivedStateFromProps', 'getDerivedStateFromError', 'getChildContext',
  'componentWillMount', 'componentWillReceiveProps', 'componentWillUpdate', 'UNSAFE_componentWillMount',
  'UNSAFE_componentWillReceiveProps', 'UNSAFE_componentWillUpdate',
]);

interface Candidate {
  path: NodePath;
  kind: InstrumentedSite['kind'];
  base: string;
  hint: string | null;
  owner: string | null;
  prop: string | null;
  /**
   * The variable a named function is bound to: marked after it is created, so an explicit
   * wrapper (or the plugin's own `wrap`) around it records each call once.
   */
  bound: BabelTypes.Identifier | null;
  /** A function with a name of its own (`function onChange`, `const save = …`): keeps it when an inline one shares it. */
  own?: boolean;
}

function hasIgnore(node: BabelTypes.Node | null | undefined): boolean {
  return !!node?.leadingComments?.some((c) => IGNORE.test(c.value));
}

/** The name a function is known by: its own, or the variable / property / method it is assigned to. */
function functionName(t: T, path: NodePath<Fn>): string | null {
  const node = path.node;
  if ((t.isFunctionDeclaration(node) || t.isFunctionExpression(node)) && node.id) return node.id.name;
  if ((t.isClassMethod(node) || t.isObjectMethod(node)) && t.isIdentifier(node.key) && !node.computed) return node.key.name;
  let child: NodePath = path;
  let p: NodePath | null = path.parentPath;
  while (p && p.isCallExpression() && isPassThrough(t, p.node) && p.node.arguments[0] === child.node) {
    child = p;
    p = p.parentPath;
  }
  if (!p) return null;
  if (p.isVariableDeclarator() && t.isIdentifier(p.node.id)) return p.node.id.name;
  if ((p.isClassProperty() || p.isObjectProperty()) && t.isIdentifier(p.node.key) && !p.node.computed) return p.node.key.name;
  if (p.isAssignmentExpression() && t.isIdentifier(p.node.left)) return p.node.left.name;
  return null;
}

function calleeText(t: T, callee: BabelTypes.Node): string | null {
  if (t.isIdentifier(callee)) return callee.name;
  if (t.isMemberExpression(callee) && !callee.computed && t.isIdentifier(callee.object) && t.isIdentifier(callee.property)) {
    return `${callee.object.name}.${callee.property.name}`;
  }
  return null;
}

function isPassThrough(t: T, call: BabelTypes.CallExpression): boolean {
  const text = calleeText(t, call.callee);
  return text !== null && PASS_THROUGH_CALLS.test(text);
}

/** The component (PascalCase) or hook (`useX`) a path sits in, or the class it is a member of. */
function ownerOf(t: T, path: NodePath, filename: string): string | null {
  for (let p: NodePath | null = path.parentPath; p; p = p.parentPath) {
    if (p.isFunction()) {
      const n = functionName(t, p as NodePath<Fn>);
      if (n && (isComponentName(n) || isHookName(n))) return n;
      if (!n && p.parentPath?.isExportDefaultDeclaration()) return fileOwner(filename);
    }
    if (p.isClass()) {
      if (p.node.id) return p.node.id.name;
      const d = p.parentPath;
      if (d?.isVariableDeclarator() && t.isIdentifier(d.node.id)) return d.node.id.name;
      return fileOwner(filename);
    }
  }
  return null;
}

/** `[, setX] = useState(…)`-style bindings: the second element of a state hook's result. */
function isStateHookBinding(t: T, binding: { path: NodePath }): boolean {
  const decl = binding.path;
  if (!decl.isVariableDeclarator()) return false;
  const init = decl.node.init;
  if (!t.isArrayPattern(decl.node.id) || !t.isCallExpression(init)) return false;
  const text = calleeText(t, init.callee);
  return text !== null && STATE_HOOKS.test(text);
}

/** True when a call updates React state, as far as one file can tell. */
function isStateUpdate(t: T, call: NodePath<BabelTypes.CallExpression>): boolean {
  const callee = call.node.callee;
  if (t.isIdentifier(callee)) {
    const binding = call.scope.getBinding(callee.name);
    if (!binding) return false;
    if (isStateHookBinding(t, binding)) return true;
    // A setter or dispatch handed in (a prop, a parameter, a context value): named like one and
    // not defined in this module as a plain function (`function setX()` at module level is a
    // helper, not React state).
    if (binding.kind === 'module' || binding.kind === 'hoisted') return false;
    if (binding.path.isVariableDeclarator() && t.isFunction(binding.path.node.init)) return false;
    return isSetterName(callee.name);
  }
  if (t.isMemberExpression(callee) && !callee.computed && t.isIdentifier(callee.property)) {
    const prop = callee.property.name;
    if (t.isThisExpression(callee.object)) return prop === 'setState' || prop === 'forceUpdate';
    return t.isIdentifier(callee.object) && isSetterName(prop);
  }
  return false;
}

/** A function whose body (inline callbacks included, named inner functions not) updates state. */
function updatesState(t: T, fn: NodePath<Fn>): boolean {
  let found = false;
  fn.traverse({
    Function(inner) {
      if (functionName(t, inner as NodePath<Fn>) !== null) inner.skip();
    },
    CallExpression(call) {
      if (!found && isStateUpdate(t, call)) {
        found = true;
        call.stop();
      }
    },
  });
  return found;
}

function jsxEventAttribute(t: T, path: NodePath): NodePath<BabelTypes.JSXAttribute> | null {
  const container = path.parentPath;
  if (!container?.isJSXExpressionContainer()) return null;
  const attr = container.parentPath;
  if (!attr?.isJSXAttribute() || !t.isJSXIdentifier(attr.node.name) || !EVENT_PROP.test(attr.node.name.name)) return null;
  return attr;
}

/**
 * `<Button cb={() => …} />` where Button's `cb` reaches a DOM event: the attribute, else null.
 * (`forwards` answers for the module's own components and for imported ones the project resolved.)
 */
function forwardedAttribute(t: T, path: NodePath, forwards: (element: string) => ReadonlySet<string>): NodePath<BabelTypes.JSXAttribute> | null {
  const container = path.parentPath;
  if (!container?.isJSXExpressionContainer()) return null;
  const attr = container.parentPath;
  if (!attr?.isJSXAttribute() || !t.isJSXIdentifier(attr.node.name)) return null;
  const opening = attr.parentPath;
  if (!opening?.isJSXOpeningElement()) return null;
  const element = jsxComponentName(t, opening.node.name);
  return element !== null && forwards(element).has(attr.node.name.name) ? attr : null;
}

/** `() => dispatch({ type: 'RUN_LOTS' })`: the action type, a hint when no attribute names the element. */
function actionHint(t: T, fn: NodePath<Fn>): string | null {
  let found: string | null = null;
  fn.traverse({
    CallExpression(call) {
      if (found) return;
      const arg = call.node.arguments[0];
      if (!t.isObjectExpression(arg)) return;
      for (const p of arg.properties) {
        if (t.isObjectProperty(p) && !p.computed && t.isIdentifier(p.key) && p.key.name === 'type' && t.isStringLiteral(p.value)) {
          const h = hintText(p.value.value);
          if (h) found = h;
        }
      }
    },
  });
  return found;
}

/** A label for one of several same-named inline handlers: aria-label, name, id, test id, title, or the text inside. */
function elementHint(t: T, attr: NodePath<BabelTypes.JSXAttribute>): string | null {
  const opening = attr.parentPath;
  if (!opening?.isJSXOpeningElement()) return null;
  for (const key of ['aria-label', 'name', 'id', 'data-testid', 'title', 'placeholder', 'value']) {
    for (const a of opening.node.attributes) {
      if (t.isJSXAttribute(a) && t.isJSXIdentifier(a.name) && a.name.name === key && t.isStringLiteral(a.value)) {
        const h = hintText(a.value.value);
        if (h) return h;
      }
    }
  }
  const element = opening.parentPath;
  if (element?.isJSXElement()) {
    const text = element.node.children
      .filter((c): c is BabelTypes.JSXText => t.isJSXText(c))
      .map((c) => c.value)
      .join(' ');
    const h = hintText(text);
    if (h) return h;
  }
  return null;
}

function isExplicitCall(t: T, node: BabelTypes.Node | null | undefined, explicit: ReadonlySet<string>): boolean {
  if (!t.isCallExpression(node)) return false;
  const text = calleeText(t, node.callee);
  return text !== null && (explicit.has(text) || explicit.has(text.split('.').pop() ?? ''));
}

/** The statement a function is declared by (for comments and placement). */
function declaringStatement(path: NodePath): NodePath | null {
  const s = path.isStatement() ? path : path.getStatementParent();
  if (!s) return null;
  return s.parentPath?.isExportNamedDeclaration() || s.parentPath?.isExportDefaultDeclaration() ? s.parentPath : s;
}

function ignored(path: NodePath): boolean {
  if (hasIgnore(path.node)) return true;
  const parent = path.parentPath;
  if (parent && (parent.isVariableDeclarator() || parent.isClassProperty() || parent.isObjectProperty()) && hasIgnore(parent.node)) return true;
  const container = parent?.isJSXExpressionContainer() ? parent : null;
  if (container && (hasIgnore(container.parentPath?.node) || container.node.expression.leadingComments?.some((c) => IGNORE.test(c.value)))) return true;
  const statement = declaringStatement(path);
  return !!statement && hasIgnore(statement.node);
}

function posix(p: string): string {
  return p.split(sep).join('/');
}

/** What Babel passes a plugin, as far as this one needs it (kept structural: no Babel types in the public API). */
export interface BabelApi {
  types: unknown;
}

/** A Babel plugin object. */
export interface BabelPlugin {
  name: string;
  visitor: object;
}

/**
 * The Babel plugin: `plugins: [['@homeostat/tools/babel', { root: __dirname }]]` in a Babel config
 * (options as in `HomeostatBabelOptions`).
 */
export default function homeostatBabel(api: BabelApi, options: HomeostatBabelOptions = {}): BabelPlugin {
  return createPlugin(api as ConfigAPI & { types: T }, options) as BabelPlugin;
}

function createPlugin(api: ConfigAPI & { types: T }, options: HomeostatBabelOptions): PluginObj<PluginPass> {
  const t = api.types;
  const runtime = options.runtime ?? 'homeostat/auto';
  const setup: SetupOptions | null = options.setup === false ? null : options.setup === true || options.setup === undefined ? {} : options.setup;

  return {
    name: 'homeostat',
    visitor: {
      Program(program, state) {
        const file = state.file;
        const filename = state.filename ?? file.opts.filename ?? 'unknown';
        // Dependencies are not the app's handlers, and `homeostat` itself must never be
        // instrumented: some pipelines run the app's Babel config on node_modules too (Next.js
        // compiles packages for the app router), so skip them here as the Vite plugin does.
        if (/[\\/]node_modules[\\/]/.test(filename)) return;
        const comments = file.ast.comments ?? [];
        if (comments.some((c) => IGNORE_FILE.test(c.value))) return;
        const relFile = posix(relative(options.root ?? process.cwd(), filename));
        const isModule = program.node.sourceType === 'module';

        // Explicit wrappers imported from Homeostat, and what is passed to them.
        const explicit = new Set<string>();
        let importsReactDom = false;
        for (const s of program.node.body) {
          if (!t.isImportDeclaration(s)) continue;
          // Already instrumented (the Babel plugin and the Vite plugin both configured): once is enough.
          if (s.source.value === runtime || s.specifiers.some((x) => t.isImportSpecifier(x) && t.isIdentifier(x.imported) && x.imported.name === 'startHomeostat')) return;
          if (REACT_DOM.test(s.source.value)) importsReactDom = true;
          if (!HOMEOSTAT_MODULE.test(s.source.value)) continue;
          for (const spec of s.specifiers) {
            if (t.isImportSpecifier(spec) && t.isIdentifier(spec.imported) && EXPLICIT.has(spec.imported.name)) explicit.add(spec.local.name);
            if (t.isImportNamespaceSpecifier(spec) || t.isImportDefaultSpecifier(spec)) explicit.add(spec.local.name);
          }
        }
        const explicitlyWrapped = new Set<BabelTypes.Node>();
        const explicitNames = new Set<string>();
        /** Variables holding an explicit wrapper's result (`const save = useHandler('save', …)`). */
        const explicitBindings = new Set<string>();
        if (explicit.size > 0) {
          program.traverse({
            CallExpression(call) {
              if (!isExplicitCall(t, call.node, explicit)) return;
              for (const arg of call.node.arguments) {
                explicitlyWrapped.add(arg);
                if (t.isIdentifier(arg)) explicitNames.add(arg.name);
              }
              if (call.parentPath.isVariableDeclarator() && t.isIdentifier(call.parentPath.node.id)) explicitBindings.add(call.parentPath.node.id.name);
            },
          });
        }

        // Names used by `this.x` in JSX event props, per class: those methods are handlers.
        const candidates: Candidate[] = [];
        const claimed = new Set<BabelTypes.Node>();
        const add = (c: Candidate) => {
          if (claimed.has(c.path.node)) return;
          claimed.add(c.path.node);
          candidates.push(c);
        };

        // Components whose props reach DOM events: this module's own, and imported ones the
        // project analysis resolved (`<Button cb={…}>` where Button gives `cb` to `onClick`).
        const local = moduleForwarding(t, program);
        const imported = options.forwarded ?? {};
        const forwardCache = new Map<string, ReadonlySet<string>>();
        const forwards = (element: string): ReadonlySet<string> => {
          let f = forwardCache.get(element);
          if (!f) {
            f = local.components.has(element) ? forwardedProps(local, element, (e) => (imported[e] ? new Set(imported[e]) : null)) : new Set(imported[element] ?? []);
            forwardCache.set(element, f);
          }
          return f;
        };

        program.traverse({
          Function(path) {
            const node = path.node;
            if (node.generator || explicitlyWrapped.has(node) || ignored(path)) return;
            if (t.isClassMethod(node) && (node.kind !== 'method' || node.static)) return;
            if (t.isObjectMethod(node) && node.kind !== 'method') return;
            const attr = jsxEventAttribute(t, path) ?? forwardedAttribute(t, path, forwards);
            const owner = ownerOf(t, path, filename);
            if (attr) {
              if (delegatesToExplicit(t, path, explicitBindings)) return;
              const prop = (attr.node.name as BabelTypes.JSXIdentifier).name;
              const o = owner ?? fileOwner(filename);
              add({ path, kind: 'jsx', base: qualified(o, prop), hint: elementHint(t, attr) ?? actionHint(t, path), owner: o, prop, bound: null });
              return;
            }
            const name = functionName(t, path);
            if (name === null || isComponentName(name) || isHookName(name) || explicitNames.has(name)) return;
            // React calls these, no event does.
            if ((t.isClassMethod(node) || path.parentPath?.isClassProperty()) && LIFECYCLE.has(name)) return;
            // Wrapped in useCallback etc.: the explicit check is on the outermost call.
            let outer: NodePath = path;
            while (outer.parentPath?.isCallExpression() && isPassThrough(t, outer.parentPath.node)) outer = outer.parentPath;
            if (explicitlyWrapped.has(outer.node)) return;
            if (!updatesState(t, path) && !referencedByEventProp(t, path, name)) return;
            add({ path, kind: 'function', base: qualified(owner, name), hint: null, owner, prop: null, bound: boundIdentifier(t, path, name), own: true });
          },
          JSXAttribute(attr) {
            if (!t.isJSXIdentifier(attr.node.name) || !EVENT_PROP.test(attr.node.name.name)) return;
            const value = attr.get('value');
            if (!value.isJSXExpressionContainer()) return;
            const expr = value.get('expression');
            if (ignored(expr as NodePath) || hasIgnore(attr.node)) return;
            const prop = attr.node.name.name;
            const owner = ownerOf(t, attr, filename) ?? fileOwner(filename);
            // Values are wrapped where they reach the DOM only: a wrapper given to a component
            // would change what it receives (`props.onChange === debounced`, `debounced.cancel`).
            const opening = attr.parentPath;
            if (!opening.isJSXOpeningElement() || jsxComponentName(t, opening.node.name) !== null || !t.isJSXIdentifier(opening.node.name)) return;
            if (expr.isIdentifier()) {
              const binding = expr.scope.getBinding(expr.node.name);
              if (!binding || explicitNames.has(expr.node.name)) return;
              if (binding.kind === 'module') {
                add({ path: expr, kind: 'wrap', base: expr.node.name, hint: null, owner: null, prop, bound: null });
                return;
              }
              const decl = binding.path;
              if (decl.isVariableDeclarator()) {
                const init = decl.node.init;
                if (!init || t.isFunction(init) || isExplicitCall(t, init, explicit)) return;
                if (t.isCallExpression(init) && isPassThrough(t, init)) return;
                if (t.isCallExpression(init) || t.isMemberExpression(init) || t.isConditionalExpression(init) || t.isLogicalExpression(init)) {
                  add({ path: expr, kind: 'wrap', base: qualified(owner, expr.node.name), hint: null, owner, prop, bound: null });
                }
              }
              return;
            }
            if (expr.isCallExpression() && !isExplicitCall(t, expr.node, explicit) && !isPassThrough(t, expr.node)) {
              add({ path: expr, kind: 'wrap', base: qualified(owner, prop), hint: elementHint(t, attr), owner, prop, bound: null });
            }
          },
        });
        if (candidates.length === 0 && !(setup && importsReactDom && isModule)) return;

        const names = disambiguate(candidates.map((c) => ({ name: c.base, hint: c.hint, own: c.own === true })));
        const sites: InstrumentedSite[] = candidates.map((c, i) => {
          const loc = c.path.node.loc?.start;
          return {
            name: names[i]!,
            kind: c.kind,
            owner: c.owner,
            prop: c.prop,
            line: loc?.line ?? 0,
            column: (loc?.column ?? 0) + 1,
            start: c.path.node.start ?? 0,
            end: c.path.node.end ?? 0,
          };
        });
        if (options.onSite) {
          for (const s of sites) options.onSite(s);
          return;
        }
        if (!isModule) return; // CommonJS: adding imports would change the module kind.
        (file.metadata as unknown as Record<string, unknown>)['homeostat'] = { changed: true, sites };

        emitInstrumentation(t, program, { candidates, sites, relFile, runtime, setup: setup && importsReactDom ? setup : null });
      },
    },
  };
}

/**
 * `onChange={(e) => applyFilters({ … })}` where `applyFilters` is an explicit handler: a thin
 * delegate (its body one call) adds nothing but a level, and the explicit name wins.
 */
function delegatesToExplicit(t: T, path: NodePath<Fn>, explicitBindings: ReadonlySet<string>): boolean {
  if (explicitBindings.size === 0) return false;
  let body: BabelTypes.Node = path.node.body;
  if (t.isBlockStatement(body)) {
    if (body.body.length !== 1) return false;
    const only = body.body[0]!;
    body = t.isExpressionStatement(only) ? only.expression : t.isReturnStatement(only) && only.argument ? only.argument : only;
  }
  if (t.isAwaitExpression(body)) body = body.argument;
  return t.isCallExpression(body) && t.isIdentifier(body.callee) && explicitBindings.has(body.callee.name);
}

/** True when a JSX event prop in this file refers to the function by name (`onClick={save}`, `onClick={this.save}`). */
function referencedByEventProp(t: T, path: NodePath<Fn>, name: string): boolean {
  const node = path.node;
  if (t.isClassMethod(node) || (path.parentPath?.isClassProperty() ?? false)) {
    const cls = path.findParent((p) => p.isClass());
    let found = false;
    cls?.traverse({
      JSXAttribute(attr) {
        const v = attr.node.value;
        if (found || !t.isJSXIdentifier(attr.node.name) || !EVENT_PROP.test(attr.node.name.name) || !t.isJSXExpressionContainer(v)) return;
        const e = v.expression;
        if (t.isMemberExpression(e) && t.isThisExpression(e.object) && t.isIdentifier(e.property) && e.property.name === name) found = true;
      },
    });
    return found;
  }
  let decl: NodePath | null = path.isFunctionDeclaration() ? path : path.findParent((p) => p.isVariableDeclarator());
  if (!decl) return false;
  const binding = decl.scope.getBinding(name) ?? decl.parentPath?.scope.getBinding(name);
  return !!binding?.referencePaths.some((ref) => jsxEventAttribute(t, ref) !== null);
}

/** The identifier a named function is bound to by `function f` or `const f = …` (directly in a block or the module), else null. */
function boundIdentifier(t: T, path: NodePath<Fn>, name: string): BabelTypes.Identifier | null {
  if (path.isFunctionDeclaration()) return path.parentPath.isProgram() || path.parentPath.isBlockStatement() || path.parentPath.isExportNamedDeclaration() ? t.identifier(name) : null;
  const declarator = path.findParent((p) => p.isVariableDeclarator());
  const declaration = declarator?.parentPath;
  if (!declarator || !declaration?.isVariableDeclaration() || !t.isIdentifier((declarator.node as BabelTypes.VariableDeclarator).id)) return null;
  const holder = declaration.parentPath;
  if (!(holder?.isProgram() || holder?.isBlockStatement() || holder?.isExportNamedDeclaration())) return null;
  // Only when the function is the declarator's value (possibly inside useCallback/memo), not something nested deeper.
  let p: NodePath | null = path.parentPath;
  while (p && p !== declarator && p.isCallExpression() && isPassThrough(t, p.node)) p = p.parentPath;
  return p === declarator ? t.identifier(name) : null;
}
