/**
 * What a new team member asks before touching a handler, answered from the code: where the
 * event reaches it (the element, the component, file:line, and the props a callback travels
 * through), which other handlers it calls, whether it runs while rendering, and how it handles
 * errors (its try/catch, what its catch shows, the error boundaries above its component).
 * Works on the compiler's references (ts-morph), so renamed bindings and props are followed.
 */
import { relative, sep } from 'node:path';
import { Node, SyntaxKind, type Identifier, type JsxAttribute, type SourceFile } from 'ts-morph';

/** One place an event reaches a handler. */
export interface Route {
  /** The DOM event prop (`onChange`), or `call` when the handler is called from code outside any element. */
  event: string;
  /** The element as it reads in the JSX, with the attributes that identify it: `<input aria-label="Search products">`. */
  element: string;
  /** The component whose JSX holds the element. */
  component: string | null;
  file: string;
  line: number;
  /** The props the handler travels through before it reaches the element, outermost first: `ResultsList.onAdd`. */
  via: string[];
}

/** A try/catch in the handler and what its catch does. */
export interface CatchSite {
  file: string;
  line: number;
  /** State the catch block sets (`queryError`), from `setX(...)` calls. */
  sets: string[];
  /** What the UI shows when that state is set: elements that render it. */
  shows: Array<{ element: string; file: string; line: number }>;
  /** Text the catch puts in that state when it is a literal: the message the user reads. */
  messages: string[];
  /** The catch rethrows. */
  rethrows: boolean;
}

export interface ErrorHandling {
  catches: CatchSite[];
  /** Error boundaries (components with componentDidCatch / getDerivedStateFromError, or react-error-boundary) rendered above the handler's component. */
  boundaries: Array<{ name: string; file: string; line: number }>;
}

export interface HandlerRelations {
  routes: Route[];
  /** Other instrumented handlers this one calls (directly in its body). */
  calls: string[];
  /** Called from a component's body while rendering (not from an event): render work, not a user step. */
  renderTime: boolean;
  errors: ErrorHandling;
}

type Fn = Node;

/** A handler as the relations pass needs it: its name, function and the identifier it is bound to. */
export interface HandlerBinding {
  name: string;
  fn: Fn | null;
  /** Where the handler is named (the wrapper call, or the function the plugin instruments). */
  at: Node;
  component: string | null;
}

const ID_ATTRS = ['aria-label', 'role', 'type', 'name', 'data-testid', 'id', 'placeholder'];
const MAX_PROP_DEPTH = 4;

/** Relations of every handler; `root` makes the file names relative. */
export function relateHandlers(bindings: readonly HandlerBinding[], root: string): Map<HandlerBinding, HandlerRelations> {
  const fns = new Map<Node, string>();
  for (const b of bindings) if (b.fn) fns.set(b.fn, b.name);
  const boundaries = findBoundaries(bindings, root);
  const out = new Map<HandlerBinding, HandlerRelations>();
  for (const b of bindings) {
    out.set(b, { routes: [], calls: [], renderTime: false, errors: { catches: b.fn ? catchSites(b.fn, root) : [], boundaries: [] } });
  }
  for (const b of bindings) {
    const rel = out.get(b)!;
    // An inline function the plugin instruments where it is passed: the attribute is its route.
    const attr = b.at.getFirstAncestorByKind(SyntaxKind.JsxAttribute) ?? (Node.isJsxAttribute(b.at.getParent()?.getParent()) ? (b.at.getParent()!.getParent() as JsxAttribute) : undefined);
    if (attr) rel.routes.push(...routesOfAttribute(attr, root, [], 0));
    for (const ref of referencesOf(b)) {
      const inAttr = attributeOf(ref);
      if (inAttr) {
        rel.routes.push(...routesOfAttribute(inAttr, root, [], 0));
        continue;
      }
      const caller = enclosingHandler(ref, fns);
      if (caller && caller !== b.name) {
        const c = bindings.find((x) => x.name === caller);
        if (c && isCalled(ref)) {
          const cr = out.get(c)!;
          if (!cr.calls.includes(b.name)) cr.calls.push(b.name);
        }
        continue;
      }
      if (!caller && isCalled(ref) && inComponentBody(ref)) rel.renderTime = true;
    }
    rel.routes = dedupeRoutes(rel.routes);
    rel.errors.boundaries = boundariesAbove(b, boundaries, root);
  }
  for (const r of out.values()) r.calls.sort();
  return out;
}

/** The identifiers that refer to the handler: its binding's references (the variable the wrapper's result is stored in, or the function's name). */
function referencesOf(b: HandlerBinding): Node[] {
  const name = bindingName(b);
  if (!name) return [];
  try {
    return name.findReferencesAsNodes().filter((r) => r !== name);
  } catch {
    // The language service cannot resolve this file (syntax it does not read): no references.
    return [];
  }
}

function bindingName(b: HandlerBinding): Identifier | null {
  // `const x = useHandler('x', …)` / `const parse = instrument('parseQuery', parseQuery)`.
  const decl = b.at.getFirstAncestorByKind(SyntaxKind.VariableDeclaration);
  if (decl && (decl.getInitializer() === b.at || decl.getInitializer() === b.fn)) {
    const n = decl.getNameNode();
    return Node.isIdentifier(n) ? n : null;
  }
  if (Node.isVariableDeclaration(b.at.getParent())) {
    const n = (b.at.getParent() as Node & { getNameNode(): Node }).getNameNode();
    return Node.isIdentifier(n) ? n : null;
  }
  if (Node.isFunctionDeclaration(b.at)) return b.at.getNameNode() ?? null;
  return null;
}

/** The JSX attribute a reference is passed to: `onChange={h}`, `onClick={() => h(x)}`. */
function attributeOf(ref: Node): JsxAttribute | null {
  const attr = ref.getFirstAncestorByKind(SyntaxKind.JsxAttribute);
  if (!attr) return null;
  const init = attr.getInitializer();
  if (!init || !Node.isJsxExpression(init)) return null;
  const expr = init.getExpression();
  if (expr === ref) return attr;
  // Inside an inline arrow: only if the handler is called (or passed on) there.
  if (expr && (Node.isArrowFunction(expr) || Node.isFunctionExpression(expr)) && isInsideNode(ref, expr)) return attr;
  return null;
}

function isInsideNode(node: Node, ancestor: Node): boolean {
  return node.getAncestors().includes(ancestor);
}

/** Where an attribute delivers an event: a DOM element's route, or the props of a component followed to its elements. */
function routesOfAttribute(attr: JsxAttribute, root: string, via: string[], depth: number): Route[] {
  const opening = attr.getParent()?.getParent();
  if (!opening || !(Node.isJsxOpeningElement(opening) || Node.isJsxSelfClosingElement(opening))) return [];
  const tag = opening.getTagNameNode().getText();
  const prop = attr.getNameNode().getText();
  const sf = attr.getSourceFile();
  if (/^[a-z]/.test(tag)) {
    return [{ event: prop, element: describeElement(opening), component: componentOf(attr), file: rel(root, sf.getFilePath()), line: attr.getStartLineNumber(), via }];
  }
  if (depth >= MAX_PROP_DEPTH) return [];
  // A component: follow the prop into it, to the elements that receive it.
  const component = componentFunction(opening.getTagNameNode());
  if (!component) return [{ event: prop, element: `<${tag}>`, component: componentOf(attr), file: rel(root, sf.getFilePath()), line: attr.getStartLineNumber(), via }];
  const hop = `${tag}.${prop}`;
  const out: Route[] = [];
  for (const use of propUses(component, prop)) {
    const a = attributeOf(use);
    if (a) out.push(...routesOfAttribute(a, root, [...via, hop], depth + 1));
  }
  return out;
}

/** The function of a component named by a JSX tag: a declaration, or `memo(function X …)` / `forwardRef(…)`. */
function componentFunction(tag: Node): Fn | null {
  if (!Node.isIdentifier(tag)) return null;
  for (const def of tag.getDefinitionNodes()) {
    if (Node.isFunctionDeclaration(def)) return def;
    if (Node.isVariableDeclaration(def)) {
      let init: Node | undefined = def.getInitializer();
      while (init && Node.isCallExpression(init)) init = init.getArguments()[0];
      if (init && (Node.isArrowFunction(init) || Node.isFunctionExpression(init))) return init;
    }
  }
  return null;
}

/** References to prop `prop` inside a component: a destructured parameter, or `props.prop`. */
function propUses(component: Fn, prop: string): Node[] {
  const params = (component as Node & { getParameters?(): Node[] }).getParameters?.() ?? [];
  const first = params[0];
  if (!first || !Node.isParameterDeclaration(first)) return [];
  const name = first.getNameNode();
  if (Node.isObjectBindingPattern(name)) {
    const el = name.getElements().find((e) => (e.getPropertyNameNode()?.getText() ?? e.getName()) === prop);
    const id = el?.getNameNode();
    return id && Node.isIdentifier(id) ? id.findReferencesAsNodes().filter((r) => r !== id) : [];
  }
  if (Node.isIdentifier(name)) {
    return name
      .findReferencesAsNodes()
      .map((r) => r.getParent())
      .filter((p): p is Node => !!p && Node.isPropertyAccessExpression(p) && p.getName() === prop);
  }
  return [];
}

/** `<input aria-label="Search products">`, `<button type="button">Checkout</button>`. */
export function describeElement(opening: Node): string {
  if (!(Node.isJsxOpeningElement(opening) || Node.isJsxSelfClosingElement(opening))) return opening.getText().slice(0, 40);
  const tag = opening.getTagNameNode().getText();
  const attrs: string[] = [];
  for (const name of ID_ATTRS) {
    const a = opening.getAttribute(name);
    if (!a || !Node.isJsxAttribute(a)) continue;
    const v = attrValue(a);
    if (v !== null) attrs.push(`${name}="${v}"`);
  }
  const head = `<${tag}${attrs.length ? ` ${attrs.join(' ')}` : ''}>`;
  if (Node.isJsxOpeningElement(opening) && !opening.getAttribute('aria-label')) {
    const el = opening.getParent();
    const text = Node.isJsxElement(el)
      ? el
          .getJsxChildren()
          .filter((c) => Node.isJsxText(c))
          .map((c) => c.getText().trim())
          .join(' ')
          .trim()
      : '';
    if (text) return `${head}${text.slice(0, 40)}</${tag}>`;
  }
  return head;
}

/** An attribute's literal value; template parts become `…`; other expressions are left out. */
function attrValue(a: JsxAttribute): string | null {
  const init = a.getInitializer();
  if (!init) return 'true';
  if (Node.isStringLiteral(init)) return init.getLiteralText();
  if (Node.isJsxExpression(init)) {
    const e = init.getExpression();
    if (e && (Node.isStringLiteral(e) || Node.isNoSubstitutionTemplateLiteral(e))) return e.getLiteralText();
    if (e && Node.isTemplateExpression(e)) return e.getText().slice(1, -1).replace(/\$\{[^}]*\}/g, '…');
  }
  return null;
}

/** The nearest enclosing component (PascalCase function) of a node, also `memo(function X …)`. */
function componentOf(node: Node): string | null {
  for (const a of node.getAncestors()) {
    let name: string | undefined;
    if (Node.isFunctionDeclaration(a) || Node.isFunctionExpression(a)) name = a.getName();
    if (!name && (Node.isArrowFunction(a) || Node.isFunctionExpression(a))) {
      const p = a.getParent();
      if (Node.isVariableDeclaration(p)) name = p.getName();
    }
    if (name && /^[A-Z]/.test(name)) return name;
  }
  return null;
}

/** The handler whose function encloses `ref`, if any. */
function enclosingHandler(ref: Node, fns: Map<Node, string>): string | null {
  for (const a of ref.getAncestors()) {
    const n = fns.get(a);
    if (n) return n;
  }
  return null;
}

function isCalled(ref: Node): boolean {
  const p = ref.getParent();
  return !!p && Node.isCallExpression(p) && p.getExpression() === ref;
}

/** Called in a component's body itself, not inside a nested function (an effect, a callback): it runs while rendering. */
function inComponentBody(ref: Node): boolean {
  for (const a of ref.getAncestors()) {
    if (Node.isArrowFunction(a) || Node.isFunctionExpression(a) || Node.isFunctionDeclaration(a) || Node.isMethodDeclaration(a)) {
      const name = Node.isFunctionDeclaration(a) || Node.isFunctionExpression(a) ? a.getName() : Node.isVariableDeclaration(a.getParent()) ? (a.getParent() as Node & { getName(): string }).getName() : undefined;
      // The first function up is the component: render work. Any other (a callback, useMemo's factory) is not this render's own statement.
      return !!name && /^[A-Z]/.test(name);
    }
  }
  return false;
}

function catchSites(fn: Fn, root: string): CatchSite[] {
  const out: CatchSite[] = [];
  for (const t of fn.getDescendantsOfKind(SyntaxKind.TryStatement)) {
    const clause = t.getCatchClause();
    if (!clause) continue;
    const block = clause.getBlock();
    const sets = new Set<string>();
    const shows: CatchSite['shows'] = [];
    const messages: string[] = [];
    for (const call of block.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      const callee = call.getExpression();
      if (!Node.isIdentifier(callee) || !/^set[A-Z]/.test(callee.getText())) continue;
      const state = stateOfSetter(callee);
      if (!state) continue;
      sets.add(state.getText());
      const arg = call.getArguments()[0];
      if (arg && (Node.isStringLiteral(arg) || Node.isNoSubstitutionTemplateLiteral(arg))) messages.push(arg.getLiteralText());
      // `setOrder({ status: 'failed', … })`: of the places that render `order`, the ones that test for 'failed'.
      const literals = call.getArguments().flatMap((a) => [a, ...a.getDescendants()]).filter((d) => Node.isStringLiteral(d)).map((d) => d.getText());
      const all = rendersOf(state, root, 0);
      const matching = all.filter((r) => literals.some((l) => r.test.includes(l.slice(1, -1))));
      shows.push(...(matching.length > 0 ? matching : all).map(({ test: _, ...r }) => r));
    }
    out.push({
      file: rel(root, t.getSourceFile().getFilePath()),
      line: clause.getStartLineNumber(),
      sets: [...sets],
      shows: dedupe(shows, (s) => `${s.file}:${s.line}:${s.element}`),
      messages,
      rethrows: block.getDescendantsOfKind(SyntaxKind.ThrowStatement).length > 0,
    });
  }
  return out;
}

/** `const [queryError, setQueryError] = useState(…)`: the state identifier beside a setter. */
function stateOfSetter(setter: Identifier): Identifier | null {
  for (const def of setter.getDefinitionNodes()) {
    const el = def.getParentIfKind(SyntaxKind.ArrayBindingPattern) ? def : def.getFirstAncestorByKind(SyntaxKind.BindingElement);
    const pattern = el?.getFirstAncestorByKind(SyntaxKind.ArrayBindingPattern) ?? def.getParentIfKind(SyntaxKind.ArrayBindingPattern);
    const first = pattern?.getElements()[0];
    if (first && Node.isBindingElement(first)) {
      const n = first.getNameNode();
      if (Node.isIdentifier(n)) return n;
    }
  }
  return null;
}

/**
 * Elements that render a state value: `{error && <p role="alert">…</p>}`, `<p>{error}</p>`, also
 * in a child component it is passed to as a prop (`order={order}`). `test` is the JSX expression.
 */
function rendersOf(state: Node, root: string, depth: number): Array<CatchSite['shows'][number] & { test: string }> {
  const out: Array<CatchSite['shows'][number] & { test: string }> = [];
  const refs = Node.isIdentifier(state) ? state.findReferencesAsNodes() : [state];
  for (const ref of refs) {
    const expr = ref.getFirstAncestorByKind(SyntaxKind.JsxExpression);
    if (!expr) continue;
    const attr = expr.getFirstAncestorByKind(SyntaxKind.JsxAttribute);
    if (attr) {
      // Passed to a component as a prop: what that component renders of it.
      const opening = attr.getParent()?.getParent();
      if (depth < MAX_PROP_DEPTH && opening && (Node.isJsxOpeningElement(opening) || Node.isJsxSelfClosingElement(opening)) && expr.getExpression() === ref) {
        const component = componentFunction(opening.getTagNameNode());
        if (component) for (const use of propUses(component, attr.getNameNode().getText())) out.push(...rendersOf(use, root, depth + 1));
      }
      continue;
    }
    const inner = expr.getFirstDescendant((d) => Node.isJsxElement(d) || Node.isJsxSelfClosingElement(d));
    const opening = inner ? (Node.isJsxElement(inner) ? inner.getOpeningElement() : inner) : (expr.getParentIfKind(SyntaxKind.JsxElement)?.getOpeningElement() ?? null);
    if (!opening) continue;
    out.push({ element: describeElement(opening), file: rel(root, ref.getSourceFile().getFilePath()), line: opening.getStartLineNumber(), test: expr.getText() });
  }
  return out;
}

interface Boundary {
  name: string;
  file: string;
  line: number;
}

/** Components that catch render errors: a class with componentDidCatch / getDerivedStateFromError, or react-error-boundary's. */
function findBoundaries(bindings: readonly HandlerBinding[], root: string): Boundary[] {
  const project = bindings[0]?.at.getProject();
  if (!project) return [];
  const out: Boundary[] = [];
  for (const sf of project.getSourceFiles()) {
    for (const c of sf.getClasses()) {
      if (c.getMethod('componentDidCatch') || c.getStaticMethod('getDerivedStateFromError')) {
        const name = c.getName();
        if (name) out.push({ name, file: rel(root, sf.getFilePath()), line: c.getStartLineNumber() });
      }
    }
    for (const imp of sf.getImportDeclarations()) {
      if (imp.getModuleSpecifierValue() !== 'react-error-boundary') continue;
      for (const spec of imp.getNamedImports()) if (spec.getName() === 'ErrorBoundary') out.push({ name: spec.getAliasNode()?.getText() ?? 'ErrorBoundary', file: 'react-error-boundary', line: 0 });
    }
  }
  return out;
}

/** Boundaries whose JSX holds the handler's component, or a component that renders it (a few levels up). */
function boundariesAbove(b: HandlerBinding, boundaries: readonly Boundary[], root: string): ErrorHandling['boundaries'] {
  if (boundaries.length === 0 || !b.component) return [];
  const names = new Set(boundaries.map((x) => x.name));
  const project = b.at.getProject();
  const found = new Map<string, Boundary>();
  let frontier = [b.component];
  const seen = new Set(frontier);
  for (let depth = 0; depth < 5 && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const sf of project.getSourceFiles()) {
      if (!rel(root, sf.getFilePath()).startsWith('..')) scanUses(sf, frontier, names, boundaries, found, next, seen);
    }
    frontier = next;
  }
  return [...found.values()];
}

function scanUses(sf: SourceFile, components: string[], names: Set<string>, boundaries: readonly Boundary[], found: Map<string, Boundary>, next: string[], seen: Set<string>): void {
  for (const el of [...sf.getDescendantsOfKind(SyntaxKind.JsxOpeningElement), ...sf.getDescendantsOfKind(SyntaxKind.JsxSelfClosingElement)]) {
    if (!components.includes(el.getTagNameNode().getText())) continue;
    for (const a of el.getAncestors()) {
      if (Node.isJsxElement(a)) {
        const tag = a.getOpeningElement().getTagNameNode().getText();
        if (names.has(tag)) found.set(tag, boundaries.find((x) => x.name === tag)!);
      }
    }
    const owner = componentOf(el);
    if (owner && !seen.has(owner)) {
      seen.add(owner);
      next.push(owner);
    }
  }
}

function dedupeRoutes(routes: Route[]): Route[] {
  return dedupe(routes, (r) => `${r.file}:${r.line}:${r.event}:${r.via.join('>')}`).sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

function dedupe<T>(xs: T[], key: (x: T) => string): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => {
    const k = key(x);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function rel(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}
