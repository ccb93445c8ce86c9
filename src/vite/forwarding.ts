/**
 * Which props of a module's components reach a DOM event handler. Real apps pass callbacks
 * through small components (`<Button cb={() => dispatch(…)} />`, and inside it
 * `<button onClick={cb}>`): the function the user's click runs is created where the component is
 * used, under a prop name that says nothing of events. The plugin instruments it there, named
 * from that call site, when this analysis says the prop reaches an event.
 *
 * One module at a time, from Babel's scope (bindings and their references, not names):
 * - `direct`: a prop given to an intrinsic element's `on*` prop, or called inside a function
 *   that is (`onClick={() => cb()}`, a `useCallback` given to `onClick`);
 * - `via`: a prop given to another component's prop; it reaches an event when that one does
 *   (resolved across the module, and across files by the project resolver).
 * Components: function declarations and expressions, arrows, `memo(…)`, `forwardRef(…)`,
 * `memo(forwardRef(…))`, default exports; classes through `this.props.x`.
 */
import type { NodePath, types as BabelTypes } from '@babel/core';
import { EVENT_PROP, PASS_THROUGH_CALLS, isComponentName } from './names.ts';

type T = typeof BabelTypes;
type Fn = BabelTypes.Function;

/** A prop given on to another component: it reaches an event when `elementProp` of `element` does. */
export interface PropHop {
  prop: string;
  /** The JSX element's name as written in this module (`Button`, `ui.Button`). */
  element: string;
  elementProp: string;
}

export interface ComponentForwarding {
  direct: Set<string>;
  via: PropHop[];
}

export interface ModuleForwarding {
  /** Components defined here, by local name (`default` for an anonymous default export). */
  components: Map<string, ComponentForwarding>;
  /** Imported bindings: local name → module specifier and the name imported (`default`, `*` for a namespace). */
  imports: Map<string, { source: string; imported: string }>;
  /** Exported name → local component name, or a re-export from another module. */
  exports: Map<string, { local: string } | { source: string; imported: string }>;
  /** `export * from '…'`. */
  starExports: string[];
}

/** The name a JSX element is written with: `Button`, `ui.Button`; null for intrinsic elements. */
export function jsxComponentName(t: T, name: BabelTypes.JSXOpeningElement['name']): string | null {
  if (t.isJSXIdentifier(name)) return isComponentName(name.name) ? name.name : null;
  if (t.isJSXMemberExpression(name)) {
    const parts: string[] = [];
    let n: BabelTypes.JSXMemberExpression | BabelTypes.JSXIdentifier = name;
    while (t.isJSXMemberExpression(n)) {
      parts.unshift(n.property.name);
      n = n.object as BabelTypes.JSXMemberExpression | BabelTypes.JSXIdentifier;
    }
    if (!t.isJSXIdentifier(n)) return null;
    parts.unshift(n.name);
    return parts.join('.');
  }
  return null;
}

function isIntrinsic(t: T, name: BabelTypes.JSXOpeningElement['name']): boolean {
  return t.isJSXIdentifier(name) && /^[a-z]/.test(name.name);
}

function passThrough(t: T, node: BabelTypes.Node): boolean {
  if (!t.isCallExpression(node)) return false;
  const c = node.callee;
  const text = t.isIdentifier(c) ? c.name : t.isMemberExpression(c) && t.isIdentifier(c.object) && t.isIdentifier(c.property) ? `${c.object.name}.${c.property.name}` : null;
  return text !== null && PASS_THROUGH_CALLS.test(text);
}

/** Where a value at `path` is given as a JSX attribute: the attribute's name and its element, or null. */
function attributeOf(t: T, path: NodePath): { prop: string; opening: BabelTypes.JSXOpeningElement } | null {
  let p: NodePath = path;
  // `cb ?? noop`, `enabled && cb`, `cb as () => void`: still the same value reaching the prop.
  while (p.parentPath && (p.parentPath.isLogicalExpression() || p.parentPath.isConditionalExpression() || p.parentPath.isTSAsExpression() || p.parentPath.isTSNonNullExpression())) {
    if (p.parentPath.isConditionalExpression() && p.parentPath.node.test === p.node) return null;
    p = p.parentPath;
  }
  const container = p.parentPath;
  if (!container?.isJSXExpressionContainer()) return null;
  const attr = container.parentPath;
  if (!attr?.isJSXAttribute() || !t.isJSXIdentifier(attr.node.name)) return null;
  const opening = attr.parentPath;
  if (!opening?.isJSXOpeningElement()) return null;
  return { prop: attr.node.name.name, opening: opening.node };
}

/** Where a function value ends up: given to JSX props directly, or through a variable (`const h = useCallback(…)`). */
function functionTargets(t: T, fn: NodePath<Fn>): Array<{ prop: string; opening: BabelTypes.JSXOpeningElement }> {
  let outer: NodePath = fn;
  while (outer.parentPath && passThrough(t, outer.parentPath.node) && (outer.parentPath.node as BabelTypes.CallExpression).arguments[0] === outer.node) outer = outer.parentPath;
  const direct = attributeOf(t, outer);
  if (direct) return [direct];
  const decl = outer.parentPath;
  if (decl?.isVariableDeclarator() && t.isIdentifier(decl.node.id)) {
    const binding = decl.scope.getBinding(decl.node.id.name);
    return (binding?.referencePaths ?? []).map((r) => attributeOf(t, r)).filter((x): x is NonNullable<typeof x> => x !== null);
  }
  if (fn.isFunctionDeclaration() && fn.node.id) {
    const binding = fn.parentPath.scope.getBinding(fn.node.id.name);
    return (binding?.referencePaths ?? []).map((r) => attributeOf(t, r)).filter((x): x is NonNullable<typeof x> => x !== null);
  }
  return [];
}

/** Records where one use of prop `prop` goes. */
function recordUse(t: T, use: NodePath, prop: string, owner: NodePath<Fn> | NodePath<BabelTypes.Class>, out: ComponentForwarding): void {
  const at = attributeOf(t, use);
  const note = (target: { prop: string; opening: BabelTypes.JSXOpeningElement }) => {
    if (isIntrinsic(t, target.opening.name)) {
      if (EVENT_PROP.test(target.prop)) out.direct.add(prop);
      return;
    }
    const element = jsxComponentName(t, target.opening.name);
    if (element) out.via.push({ prop, element, elementProp: target.prop });
  };
  if (at) {
    note(at);
    return;
  }
  // Called (`cb()`, `cb?.()`, `props.cb(e)`) inside functions the component gives to JSX props.
  const parent = use.parentPath;
  const called = (parent?.isCallExpression() || parent?.isOptionalCallExpression()) && (parent.node as BabelTypes.CallExpression).callee === use.node;
  if (!called) return;
  for (let f: NodePath | null = use.getFunctionParent(); f && f.node !== owner.node; f = f.parentPath?.getFunctionParent() ?? null) {
    for (const target of functionTargets(t, f as NodePath<Fn>)) note(target);
  }
}

/** A component function's props and where they go. */
function functionForwarding(t: T, fn: NodePath<Fn>): ComponentForwarding {
  const out: ComponentForwarding = { direct: new Set(), via: [] };
  const param = fn.get('params')[0];
  if (!param) return out;
  const target = param.isAssignmentPattern() ? param.get('left') : param;
  if (target.isObjectPattern()) {
    for (const prop of target.get('properties')) {
      if (!prop.isObjectProperty() || prop.node.computed) continue;
      const key = prop.node.key;
      const name = t.isIdentifier(key) ? key.name : t.isStringLiteral(key) ? key.value : null;
      if (!name) continue;
      let value = prop.get('value');
      if (value.isAssignmentPattern()) value = value.get('left');
      if (!value.isIdentifier()) continue;
      const binding = fn.scope.getBinding(value.node.name);
      for (const ref of binding?.referencePaths ?? []) recordUse(t, ref, name, fn, out);
    }
  } else if (target.isIdentifier()) {
    const binding = fn.scope.getBinding(target.node.name);
    for (const ref of binding?.referencePaths ?? []) {
      const m = ref.parentPath;
      if (m?.isMemberExpression() && m.node.object === ref.node && !m.node.computed && t.isIdentifier(m.node.property)) recordUse(t, m, m.node.property.name, fn, out);
    }
  }
  return out;
}

/** A class component's `this.props.x` uses. */
function classForwarding(t: T, cls: NodePath<BabelTypes.Class>): ComponentForwarding {
  const out: ComponentForwarding = { direct: new Set(), via: [] };
  cls.traverse({
    MemberExpression(m) {
      const o = m.node.object;
      if (!t.isMemberExpression(o) || !t.isThisExpression(o.object) || !t.isIdentifier(o.property) || o.property.name !== 'props') return;
      if (m.node.computed || !t.isIdentifier(m.node.property)) return;
      recordUse(t, m, m.node.property.name, cls, out);
    },
  });
  return out;
}

/** The component function inside `memo(forwardRef(function X(props, ref) {…}))`, or the function itself. */
function componentFunction(t: T, path: NodePath | null | undefined): NodePath<Fn> | null {
  let p: NodePath | null | undefined = path;
  for (let depth = 0; p && depth < 4; depth++) {
    if (p.isArrowFunctionExpression() || p.isFunctionExpression() || p.isFunctionDeclaration()) return p as NodePath<Fn>;
    if (p.isCallExpression() && passThrough(t, p.node)) {
      const arg = p.get('arguments')[0];
      p = arg ?? null;
      continue;
    }
    return null;
  }
  return null;
}

/** Forwarding facts of one module, from its Program path. */
export function moduleForwarding(t: T, program: NodePath<BabelTypes.Program>): ModuleForwarding {
  const out: ModuleForwarding = { components: new Map(), imports: new Map(), exports: new Map(), starExports: [] };
  const addComponent = (name: string, node: NodePath | null | undefined) => {
    if (!node) return;
    if (node.isClass()) {
      out.components.set(name, classForwarding(t, node));
      return;
    }
    const fn = componentFunction(t, node);
    if (fn) out.components.set(name, functionForwarding(t, fn));
  };
  for (const s of program.get('body')) {
    let stmt: NodePath = s;
    if (s.isImportDeclaration()) {
      for (const spec of s.node.specifiers) {
        const imported = t.isImportDefaultSpecifier(spec) ? 'default' : t.isImportNamespaceSpecifier(spec) ? '*' : t.isIdentifier(spec.imported) ? spec.imported.name : spec.imported.value;
        out.imports.set(spec.local.name, { source: s.node.source.value, imported });
      }
      continue;
    }
    if (s.isExportAllDeclaration()) {
      out.starExports.push(s.node.source.value);
      continue;
    }
    if (s.isExportDefaultDeclaration()) {
      const d = s.get('declaration');
      if (d.isIdentifier()) out.exports.set('default', { local: d.node.name });
      else {
        const id = (d.isFunctionDeclaration() || d.isClassDeclaration()) && d.node.id ? d.node.id.name : 'default';
        addComponent(id, d);
        out.exports.set('default', { local: id });
      }
      continue;
    }
    if (s.isExportNamedDeclaration()) {
      const source = s.node.source?.value;
      for (const spec of s.node.specifiers) {
        if (!t.isExportSpecifier(spec)) continue;
        const exported = t.isIdentifier(spec.exported) ? spec.exported.name : spec.exported.value;
        out.exports.set(exported, source ? { source, imported: spec.local.name } : { local: spec.local.name });
      }
      const d = s.get('declaration');
      if (!d.node) continue;
      stmt = d as NodePath;
      if ((stmt.isFunctionDeclaration() || stmt.isClassDeclaration()) && stmt.node.id) out.exports.set(stmt.node.id.name, { local: stmt.node.id.name });
      if (stmt.isVariableDeclaration()) for (const v of stmt.node.declarations) if (t.isIdentifier(v.id)) out.exports.set(v.id.name, { local: v.id.name });
    }
    if ((stmt.isFunctionDeclaration() || stmt.isClassDeclaration()) && stmt.node.id && isComponentName(stmt.node.id.name)) addComponent(stmt.node.id.name, stmt);
    if (stmt.isVariableDeclaration()) {
      for (const v of stmt.get('declarations')) {
        const id = v.node.id;
        if (t.isIdentifier(id) && isComponentName(id.name)) addComponent(id.name, v.get('init') as NodePath);
      }
    }
  }
  return out;
}

/**
 * Props of `component` (a local name) that reach an event, with the module's other components
 * resolved here and imported ones through `imported` (null: not known).
 */
export function forwardedProps(
  facts: ModuleForwarding,
  component: string,
  imported: (element: string) => ReadonlySet<string> | null,
  seen: Set<string> = new Set(),
): Set<string> {
  const c = facts.components.get(component);
  if (!c || seen.has(component)) return new Set();
  seen.add(component);
  const out = new Set(c.direct);
  for (const hop of c.via) {
    if (out.has(hop.prop)) continue;
    const next = facts.components.has(hop.element) ? forwardedProps(facts, hop.element, imported, seen) : imported(hop.element);
    if (next?.has(hop.elementProp)) out.add(hop.prop);
  }
  seen.delete(component);
  return out;
}
