/**
 * Less work per frame for a long list, by rendering only what is in view:
 *
 *   <tbody>{rows.map((r) => <Row key={r.id} … />)}</tbody>
 *   →
 *   <tbody><VirtualList items={rows} render={(r) => <Row key={r.id} … />} spacer="tr" /></tbody>
 *
 * `VirtualList` is a component module the codemod adds next to the file (virtual-hook.ts): the
 * rows in view plus an overscan, and spacer elements of the list's own kind for the others, so
 * the scroll height stays right and a table stays valid HTML. The row callback is moved as it is
 * (same keys, same row components, called with the real index), so nothing about a row changes.
 * A component rather than a hook: no code moves above an early return, it works inside class
 * components and nested render props, and scrolling re-renders only it.
 *
 * The `.map(…)` may be a JSX child (also under `&&`/`?:`), a local rendered as a JSX child
 * (`const rows = data.map(…)` … `{rows}`), or what a component returns. What the spacers are
 * comes from the element the rows are rendered into (`tbody` → `tr`, `ul` → `li`), else from the
 * row's own element; an `<ol>` is refused (its numbering would count the spacers and restart at
 * the first row in view), and so is a list whose element cannot be told.
 */
import { posix } from 'node:path';
import { CodemodError, freshName, isTypeScriptFile, lineOf, parseModule, requireImport, resultOf, t, touch, type Module, type NodePath } from './ast.ts';
import { componentAt } from './components.ts';
import type { SourcePosition } from './handlers.ts';
import { importPath, mapCallAt } from './progressive-list.ts';
import type { CodemodResult } from './result.ts';
import { DEFAULT_OVERSCAN, TANSTACK_VIRTUAL, VIRTUAL_NAME, virtualListSource } from './virtual-hook.ts';

export interface VirtualListTarget {
  /** The handler whose update fills the list (for the edit notes). */
  handler: string;
  component: string | null;
  /** Where the `items.map(…)` call starts (1-based line and column). */
  list: SourcePosition;
  /** The mapped array as written. */
  items: string;
  overscan?: number;
  /** `tanstack`: the module builds on `@tanstack/react-virtual`, which the app already depends on. */
  library?: 'tanstack' | null;
  /** Which files exist (paths as `file` is given): the module gets a name no file has. */
  exists?: (file: string) => boolean;
}

type Spacer = 'tr' | 'li' | 'div';

const FRAGMENTS = new Set(['Fragment', 'React.Fragment']);

function jsxName(name: t.JSXOpeningElement['name']): string {
  if (t.isJSXIdentifier(name)) return name.name;
  if (t.isJSXMemberExpression(name)) return `${jsxName(name.object)}.${name.property.name}`;
  return `${name.namespace.name}:${name.name.name}`;
}

/** The nearest enclosing element that is not a fragment: its tag (`tbody`) or component name (`List`). */
function containerOf(path: NodePath): string | null {
  for (let p: NodePath | null = path.parentPath; p; p = p.parentPath) {
    if (p.isJSXFragment()) continue;
    if (p.isJSXElement()) {
      const name = jsxName(p.node.openingElement.name);
      if (FRAGMENTS.has(name)) continue;
      return name;
    }
    if (!p.isJSXExpressionContainer()) return null;
  }
  return null;
}

/** The tag of the element the row callback returns, when it is a DOM element. */
function rowTag(render: NodePath): string | null {
  const fn = render.node;
  if (!t.isArrowFunctionExpression(fn) && !t.isFunctionExpression(fn)) return null;
  let el: t.Node | null | undefined = fn.body;
  if (t.isBlockStatement(el)) el = el.body.find((s): s is t.ReturnStatement => t.isReturnStatement(s))?.argument;
  if (!t.isJSXElement(el)) return null;
  const name = jsxName(el.openingElement.name);
  return /^[a-z]/.test(name) ? name : null;
}

/** Where the map's result ends up, climbing through `&&`, `?:` and parentheses. */
function useOf(call: NodePath<t.CallExpression>): NodePath {
  let p: NodePath = call;
  while (p.parentPath && (p.parentPath.isLogicalExpression() || p.parentPath.isConditionalExpression() || p.parentPath.isParenthesizedExpression() || p.parentPath.isTSAsExpression())) {
    if (p.parentPath.isConditionalExpression() && p.parentPath.node.test === p.node) break;
    if (p.parentPath.isLogicalExpression() && p.parentPath.node.left === p.node) break;
    p = p.parentPath;
  }
  return p;
}

/**
 * The JSX places the list is rendered at: the map itself, or the local it is stored in. Throws
 * when the result is used as an array (`rows.length`), which a component element is not.
 */
function renderedAt(mod: Module, call: NodePath<t.CallExpression>, items: string): { places: NodePath[]; returned: boolean } {
  const use = useOf(call);
  const parent = use.parentPath;
  const line = lineOf(call.node);
  if (parent?.isJSXExpressionContainer() && !parent.parentPath.isJSXAttribute()) return { places: [use], returned: false };
  if (parent?.isReturnStatement() || (parent?.isArrowFunctionExpression() && parent.node.body === use.node)) return { places: [use], returned: true };
  if (parent?.isVariableDeclarator() && t.isIdentifier(parent.node.id) && parent.node.init === use.node) {
    const name = parent.node.id.name;
    const binding = parent.scope.getBinding(name);
    if (!binding || !binding.constant) throw new CodemodError(mod.file, line, `${name} (${items}.map(…)) is reassigned: cannot tell where it is rendered`);
    const places: NodePath[] = [];
    for (const ref of binding.referencePaths) {
      const at = useOf(ref as NodePath<t.CallExpression>);
      if (at.parentPath?.isJSXExpressionContainer() && !at.parentPath.parentPath.isJSXAttribute()) places.push(at);
      else throw new CodemodError(mod.file, lineOf(ref.node), `${name} (${items}.map(…)) is used as an array here (\`${at.parentPath?.toString().slice(0, 60)}\`), not only rendered: a virtualised list is an element`);
    }
    if (places.length === 0) throw new CodemodError(mod.file, line, `${name} (${items}.map(…)) is never rendered as a JSX child`);
    return { places, returned: false };
  }
  throw new CodemodError(mod.file, line, `${items}.map(…) is not rendered as a JSX child, stored in a local that is, or returned: cannot tell what the rows are rendered into`);
}

function spacerFor(mod: Module, call: NodePath<t.CallExpression>, render: NodePath, places: NodePath[], items: string): Spacer {
  const line = lineOf(call.node);
  const containers = [...new Set(places.map(containerOf))];
  if (containers.length > 1) throw new CodemodError(mod.file, line, `${items}.map(…) is rendered into ${containers.map((c) => `<${c ?? '?'}>`).join(' and ')}: one kind of spacer cannot fit both`);
  const container = containers[0] ?? null;
  if (container === 'ol') throw new CodemodError(mod.file, line, `${items}.map(…) renders into an <ol>: its numbering would count the spacers and restart at the first row in view`);
  if (container && /^(tbody|thead|tfoot|table)$/.test(container)) return 'tr';
  if (container && /^(ul|menu)$/.test(container)) return 'li';
  const tag = rowTag(render);
  if (tag === 'tr') return 'tr';
  if (tag === 'li') return 'li';
  if (tag !== null || (container !== null && /^[a-z]/.test(container))) return 'div';
  throw new CodemodError(
    mod.file,
    line,
    `cannot tell what element ${items}.map(…)'s rows are (they are components, rendered into ${container ? `<${container}>` : 'what the caller decides'}): the spacers that keep the scroll height must be the same kind`,
  );
}

function moduleFile(mod: Module, target: VirtualListTarget): { file: string; base: string } {
  const dir = posix.dirname(mod.file.replace(/\\/g, '/'));
  const ext = isTypeScriptFile(mod.file) ? '.ts' : '.js';
  for (let i = 1; i < 50; i++) {
    const base = i === 1 ? VIRTUAL_NAME : `${VIRTUAL_NAME}${i}`;
    const file = dir === '.' ? `${base}${ext}` : `${dir}/${base}${ext}`;
    const taken = ['.ts', '.tsx', '.js', '.jsx', '.mjs'].some((e) => target.exists?.(file.slice(0, -ext.length) + e));
    if (!taken) return { file, base };
  }
  throw new CodemodError(mod.file, null, `no free name for the ${VIRTUAL_NAME} module next to it`);
}

export function virtualiseList(source: string, file: string, target: VirtualListTarget): CodemodResult {
  const mod = parseModule(source, file);
  const call = mapCallAt(mod, target);
  const line = lineOf(call.node);
  const args = call.get('arguments');
  const render = args[0] as NodePath | undefined;
  if (!render || args.length > 1 || !render.isExpression()) throw new CodemodError(file, line, `${target.items}.map(…) takes one callback here: nothing to virtualise`);
  const { places, returned } = renderedAt(mod, call, target.items);
  const spacer = spacerFor(mod, call, render, places, target.items);
  const local = freshName(mod, VIRTUAL_NAME);
  if (local !== VIRTUAL_NAME) throw new CodemodError(file, null, `${VIRTUAL_NAME} is already a name in this file`);
  const component = componentAt(mod, call);
  const out = moduleFile(mod, target);
  requireImport(mod, importPath(mod, out.base, out.file), VIRTUAL_NAME);

  const items = call.get('callee').get('object') as NodePath<t.Expression>;
  const element = t.jsxElement(
    t.jsxOpeningElement(
      t.jsxIdentifier(VIRTUAL_NAME),
      [
        t.jsxAttribute(t.jsxIdentifier('items'), t.jsxExpressionContainer(items.node)),
        t.jsxAttribute(t.jsxIdentifier('render'), t.jsxExpressionContainer(render.node)),
        t.jsxAttribute(t.jsxIdentifier('spacer'), t.stringLiteral(spacer)),
      ],
      true,
    ),
    null,
    [],
    true,
  );
  touch(mod, call.node);
  const direct = places.length === 1 && places[0]!.node === call.node ? places[0]! : null;
  if (direct?.parentPath?.isJSXExpressionContainer() && (direct.parentPath.parentPath.isJSXElement() || direct.parentPath.parentPath.isJSXFragment())) {
    // `{rows.map(…)}` as a child: the element itself takes the container's place.
    touch(mod, direct.parentPath.node);
    direct.parentPath.replaceWith(element);
  } else call.replaceWith(element);

  const where = returned ? `what ${component?.name ?? 'the component'} returns` : `<${places.map(containerOf)[0] ?? '?'}>`;
  const edits = [
    `line ${line ?? '?'}: ${target.items}.map(…) renders through <${VIRTUAL_NAME} spacer="${spacer}"> in ${component?.name ?? 'the module'} (${where}): only the rows in view and ${target.overscan ?? DEFAULT_OVERSCAN} either side are in the DOM, spacer <${spacer}>s keep the scroll height; rows, keys and the row callback are unchanged`,
    target.library === 'tanstack'
      ? `${out.file}: new module, the ${VIRTUAL_NAME} component over ${TANSTACK_VIRTUAL}'s useWindowVirtualizer (already a dependency of the app)`
      : `${out.file}: new module, the ${VIRTUAL_NAME} component (React only, no dependency added)`,
  ];
  const result = resultOf(mod, edits, [{ file: out.file, before: null, after: virtualListSource(isTypeScriptFile(file), target.overscan ?? DEFAULT_OVERSCAN, target.library ?? null) }]);
  // recast prints string attributes in the file's code quotes; JSX writes them in double quotes.
  result.after = result.after.replace(new RegExp(`(<${VIRTUAL_NAME}\\b[^]*?\\sspacer=)'(${spacer})'`), '$1"$2"');
  return result;
}
