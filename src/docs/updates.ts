/**
 * Which React state a handler updates, followed the way real apps pass it around: setters and
 * `dispatch` from `useState`/`useReducer`, received through props (`<Row dispatch={dispatch}>`),
 * context (`useContext(Ctx)` against `<Ctx.Provider value={…}>`), custom hooks (`const { add }
 * = useTodos()`), plain functions in any file, and other handlers the build plugin instrumented
 * (reported `via` them). For `dispatch({ type })` it names the reducer action and, where the
 * reducer's case returns `{ ...state, x }`, the fields that action changes.
 */
import { relative, sep } from 'node:path';
import { Node, SyntaxKind, type CallExpression, type Project } from 'ts-morph';

export interface StateUpdate {
  /** The call as written: `setCount`, `dispatch`, `props.onChange`, `this.setState`. */
  setter: string;
  /** Line of the call that makes the update (in `file`). */
  line: number;
  /** Inside `startTransition` / `useTransition`'s start function. */
  transition: boolean;
  /** The file the call is in, relative to the analysed root (absent in older analyses: the handler's file). */
  file?: string;
  /** The state it changes: the first element of the `useState`/`useReducer` it comes from. */
  state?: string | null;
  /** Where that state is declared. */
  stateSource?: { file: string; line: number } | null;
  /** For `dispatch({ type: 'x' })`: the action type. */
  action?: string | null;
  /** What the reducer's case for that action changes (`{ ...state, a, b }` → a, b). */
  fields?: string[];
  /** Another instrumented handler the update is made through, if not directly. */
  via?: string | null;
}

type FunctionLike = Node & { getParameters(): Node[] };

const FUNCTION_KINDS = new Set([SyntaxKind.ArrowFunction, SyntaxKind.FunctionExpression, SyntaxKind.FunctionDeclaration, SyntaxKind.MethodDeclaration]);
const STATE_HOOK = /^(React\.)?(useState|useReducer|useActionState|useOptimistic|useImmer|useImmerReducer)$/;
const REDUCER_HOOK = /^(React\.)?(useReducer|useImmerReducer|useActionState)$/;
const CONTEXT_HOOK = /^(React\.)?(useContext|use)$/;
const PASS_THROUGH = /^(React\.)?(useCallback|useEffectEvent|useMemo)$/;
const MAX_DEPTH = 8;

/** A state setter, or a function to look into. */
type Source =
  | { kind: 'setter'; state: string | null; declared: Node; reducer: FunctionLike | null }
  | { kind: 'setState' }
  | { kind: 'function'; fn: FunctionLike };

export interface HandlerIndex {
  /** The handler name of a function node that is itself a handler, and whether it is explicit. */
  handlerAt(fn: Node): { name: string; explicit: boolean } | undefined;
}

export function isFunctionLike(node: Node | undefined): node is FunctionLike {
  return !!node && FUNCTION_KINDS.has(node.getKind());
}

function calleeName(node: Node): string {
  return node.getText().replace(/\s+/g, '');
}

/** `useCallback(fn)` / `useMemo(() => fn)` / parentheses → the function or expression inside. */
function unwrapValue(node: Node): Node {
  let n = node;
  for (let i = 0; i < 5; i++) {
    if (Node.isParenthesizedExpression(n) || Node.isAsExpression(n) || Node.isSatisfiesExpression(n) || Node.isNonNullExpression(n)) {
      n = n.getExpression();
      continue;
    }
    if (Node.isCallExpression(n) && PASS_THROUGH.test(calleeName(n.getExpression())) && n.getArguments()[0]) {
      const arg = n.getArguments()[0]!;
      // useMemo(() => value): the value it returns.
      if (/useMemo$/.test(calleeName(n.getExpression())) && Node.isArrowFunction(arg)) {
        const body = arg.getBody();
        n = Node.isBlock(body) ? (body.getFirstDescendantByKind(SyntaxKind.ReturnStatement)?.getExpression() ?? body) : body;
        continue;
      }
      n = arg;
      continue;
    }
    break;
  }
  return n;
}

export class UpdateFinder {
  private readonly checker;

  constructor(
    project: Project,
    private readonly root: string,
    private readonly handlers: HandlerIndex,
  ) {
    this.checker = project.getTypeChecker();
  }

  private rel(path: string): string {
    return relative(this.root, path).split(sep).join('/');
  }

  /** Every state update `fn` makes, directly or through what it calls. */
  find(fn: FunctionLike): StateUpdate[] {
    const out: StateUpdate[] = [];
    const visited = new Set<Node>();
    const walk = (body: Node, inherited: boolean, via: string | null, depth: number) => {
      if (visited.has(body) || depth > MAX_DEPTH) return;
      visited.add(body);
      for (const call of body.getDescendantsOfKind(SyntaxKind.CallExpression)) {
        if (this.insideOtherHandler(call, body)) continue;
        const transition = inherited || inTransition(call, body);
        const callee = call.getExpression();
        const source = this.resolve(callee, 0);
        if (!source) continue;
        if (source.kind === 'setter' || source.kind === 'setState') {
          out.push(this.update(call, source, transition, via));
          continue;
        }
        const handler = this.handlers.handlerAt(source.fn);
        // Explicitly named handlers keep their updates; functions the plugin named are followed, and say so.
        if (handler?.explicit) continue;
        walk(source.fn, transition, via ?? handler?.name ?? null, depth + 1);
      }
    };
    walk(fn, false, null, 0);
    const seen = new Set<string>();
    const own = (u: StateUpdate) => (u.via ? 1 : 0);
    return out
      .filter((u) => {
        const key = `${u.file}:${u.line}:${u.setter}:${u.transition}:${u.action}`;
        return seen.has(key) ? false : (seen.add(key), true);
      })
      .sort((a, b) => own(a) - own(b) || (a.file ?? '').localeCompare(b.file ?? '') || a.line - b.line || a.setter.localeCompare(b.setter));
  }

  /** A call inside a nested function that is a handler of its own (not the one being walked). */
  private insideOtherHandler(call: Node, top: Node): boolean {
    for (const a of call.getAncestors()) {
      if (a === top) return false;
      if (isFunctionLike(a) && this.handlers.handlerAt(a)) return true;
    }
    return false;
  }

  private update(call: CallExpression, source: Source & { kind: 'setter' | 'setState' }, transition: boolean, via: string | null): StateUpdate {
    const base: StateUpdate = {
      setter: calleeName(call.getExpression()),
      file: this.rel(call.getSourceFile().getFilePath()),
      line: call.getStartLineNumber(),
      transition,
      state: null,
      stateSource: null,
      action: null,
      fields: [],
      via,
    };
    if (source.kind === 'setState') return base;
    base.state = source.state;
    base.stateSource = { file: this.rel(source.declared.getSourceFile().getFilePath()), line: source.declared.getStartLineNumber() };
    const action = actionType(call.getArguments()[0]);
    if (action !== null) {
      base.action = action;
      if (source.reducer) base.fields = reducerFields(source.reducer, action);
    }
    return base;
  }

  /** What a callee (or a value passed along) is: a state setter, a function, or unknown. */
  resolve(expr: Node, depth: number): Source | null {
    if (depth > MAX_DEPTH) return null;
    const node = unwrapValue(expr);
    if (isFunctionLike(node)) return { kind: 'function', fn: node };
    if (Node.isPropertyAccessExpression(node)) return this.resolveMember(node.getExpression(), node.getName(), depth);
    if (Node.isIdentifier(node)) return this.resolveIdentifier(node, depth);
    if (Node.isShorthandPropertyAssignment(node)) {
      const symbol = this.checker.getShorthandAssignmentValueSymbol(node);
      const decl = symbol?.getDeclarations()[0];
      return decl ? this.resolveDeclaration(decl, depth + 1) : null;
    }
    if (Node.isPropertyAssignment(node)) {
      const init = node.getInitializer();
      return init ? this.resolve(init, depth + 1) : null;
    }
    return null;
  }

  private resolveIdentifier(id: Node, depth: number): Source | null {
    let symbol = id.getSymbol();
    if (!symbol) return null;
    const aliased = symbol.getAliasedSymbol();
    if (aliased) symbol = aliased;
    const decl = symbol.getDeclarations()[0];
    return decl ? this.resolveDeclaration(decl, depth + 1) : null;
  }

  private resolveDeclaration(decl: Node, depth: number): Source | null {
    if (depth > MAX_DEPTH) return null;
    if (isFunctionLike(decl)) return { kind: 'function', fn: decl };
    if (Node.isShorthandPropertyAssignment(decl) || Node.isPropertyAssignment(decl)) return this.resolve(decl, depth);
    if (Node.isVariableDeclaration(decl)) {
      const init = decl.getInitializer();
      if (!init) return null;
      const value = unwrapValue(init);
      if (Node.isCallExpression(value)) {
        const callee = calleeName(value.getExpression());
        // const dispatch = useContext(DispatchContext)
        if (CONTEXT_HOOK.test(callee)) return this.resolveContext(value.getArguments()[0], null, depth);
        // const add = useHandler('add', fn) and the like: the function inside
        const fnArg = value.getArguments().find((a) => isFunctionLike(a));
        if (fnArg) return { kind: 'function', fn: fnArg as FunctionLike };
        return null;
      }
      return this.resolve(value, depth);
    }
    if (Node.isBindingElement(decl)) return this.resolveBinding(decl, depth);
    if (Node.isParameterDeclaration(decl)) return null;
    return null;
  }

  /** `[x, setX] = useState()`, `{ dispatch } = props`, `{ add } = useTodos()`, `{ dispatch } = useContext(Ctx)`. */
  private resolveBinding(el: Node & { getParent(): Node | undefined }, depth: number): Source | null {
    if (!Node.isBindingElement(el)) return null;
    const pattern = el.getParent();
    const holder = pattern?.getParent();
    if (Node.isArrayBindingPattern(pattern)) {
      const index = pattern.getElements().indexOf(el);
      if (!Node.isVariableDeclaration(holder)) return null;
      const init = holder.getInitializer();
      if (!init || !Node.isCallExpression(init)) return null;
      const callee = calleeName(init.getExpression());
      if (STATE_HOOK.test(callee)) {
        if (index !== 1) return null;
        const first = pattern.getElements()[0];
        const state = first && Node.isBindingElement(first) ? first.getNameNode().getText() : null;
        const reducer = REDUCER_HOOK.test(callee) ? this.functionOf(init.getArguments()[0], depth) : null;
        return { kind: 'setter', state, declared: init, reducer };
      }
      return this.resolveHookReturn(init, index, depth);
    }
    if (Node.isObjectBindingPattern(pattern)) {
      const key = el.getPropertyNameNode()?.getText() ?? el.getNameNode().getText();
      if (Node.isParameterDeclaration(holder)) return this.resolveProp(holder, key, depth);
      if (Node.isVariableDeclaration(holder)) {
        const init = holder.getInitializer();
        if (!init) return null;
        const value = unwrapValue(init);
        if (Node.isCallExpression(value)) {
          const callee = calleeName(value.getExpression());
          if (CONTEXT_HOOK.test(callee)) return this.resolveContext(value.getArguments()[0], key, depth);
          return this.resolveHookReturn(value, key, depth);
        }
        if (Node.isIdentifier(value)) {
          // const { dispatch } = props
          const decl = value.getSymbol()?.getDeclarations()[0];
          if (decl && Node.isParameterDeclaration(decl)) return this.resolveProp(decl, key, depth);
        }
      }
    }
    return null;
  }

  /** `props.x`, `ctx.dispatch`, `this.setState`, `todos.add` (a custom hook's result). */
  private resolveMember(object: Node, name: string, depth: number): Source | null {
    if (Node.isThisExpression(object)) return name === 'setState' || name === 'forceUpdate' ? { kind: 'setState' } : null;
    if (!Node.isIdentifier(object)) return null;
    const decl = object.getSymbol()?.getDeclarations()[0];
    if (!decl) return null;
    if (Node.isParameterDeclaration(decl)) return this.resolveProp(decl, name, depth);
    if (Node.isVariableDeclaration(decl)) {
      const init = decl.getInitializer();
      const value = init ? unwrapValue(init) : undefined;
      if (value && Node.isCallExpression(value)) {
        const callee = calleeName(value.getExpression());
        if (CONTEXT_HOOK.test(callee)) return this.resolveContext(value.getArguments()[0], name, depth);
        return this.resolveHookReturn(value, name, depth);
      }
    }
    return null;
  }

  private functionOf(node: Node | undefined, depth: number): FunctionLike | null {
    if (!node) return null;
    const s = this.resolve(node, depth + 1);
    return s?.kind === 'function' ? s.fn : null;
  }

  /** A prop of a component: what its JSX usages pass for `key`. */
  private resolveProp(param: Node, key: string, depth: number): Source | null {
    const component = param.getParent();
    if (!isFunctionLike(component) || component.getParameters()[0] !== param) return null;
    const nameNode = componentNameNode(component);
    if (!nameNode) return null;
    for (const ref of safeReferences(nameNode)) {
      const tag = ref.getParent();
      if (!tag || !(Node.isJsxOpeningElement(tag) || Node.isJsxSelfClosingElement(tag)) || tag.getTagNameNode() !== ref) continue;
      const attr = tag.getAttributes().find((a) => Node.isJsxAttribute(a) && a.getNameNode().getText() === key);
      if (!attr || !Node.isJsxAttribute(attr)) continue;
      const init = attr.getInitializer();
      const expr = init && Node.isJsxExpression(init) ? init.getExpression() : undefined;
      const source = expr ? this.resolve(expr, depth + 1) : null;
      if (source) return source;
    }
    return null;
  }

  /** `useContext(Ctx)`: the `value` given to `<Ctx.Provider>` / `<Ctx>`, or its property `key`. */
  private resolveContext(ctx: Node | undefined, key: string | null, depth: number): Source | null {
    if (!ctx || !Node.isIdentifier(ctx)) return null;
    let symbol = ctx.getSymbol();
    if (symbol?.getAliasedSymbol()) symbol = symbol.getAliasedSymbol();
    const decl = symbol?.getDeclarations()[0];
    const nameNode = decl && Node.isVariableDeclaration(decl) ? decl.getNameNode() : undefined;
    if (!nameNode) return null;
    for (const ref of safeReferences(nameNode)) {
      let tagName: Node = ref;
      const parent = ref.getParent();
      if (parent && Node.isPropertyAccessExpression(parent) && parent.getName() === 'Provider') tagName = parent;
      const tag = tagName.getParent();
      if (!tag || !(Node.isJsxOpeningElement(tag) || Node.isJsxSelfClosingElement(tag)) || tag.getTagNameNode() !== tagName) continue;
      const attr = tag.getAttributes().find((a) => Node.isJsxAttribute(a) && a.getNameNode().getText() === 'value');
      if (!attr || !Node.isJsxAttribute(attr)) continue;
      const init = attr.getInitializer();
      const expr = init && Node.isJsxExpression(init) ? init.getExpression() : undefined;
      if (!expr) continue;
      const source = key === null ? this.resolve(expr, depth + 1) : this.resolveObjectMember(expr, key, depth + 1);
      if (source) return source;
    }
    return null;
  }

  /** Property `key` (or element `key`) of an object/array literal, seen through identifiers and useMemo. */
  private resolveObjectMember(expr: Node, key: string | number, depth: number): Source | null {
    if (depth > MAX_DEPTH) return null;
    let value = unwrapValue(expr);
    if (Node.isIdentifier(value)) {
      const decl = value.getSymbol()?.getDeclarations()[0];
      const init = decl && Node.isVariableDeclaration(decl) ? decl.getInitializer() : undefined;
      if (!init) return null;
      value = unwrapValue(init);
    }
    if (typeof key === 'string' && Node.isObjectLiteralExpression(value)) {
      const prop = value.getProperty(key);
      return prop ? this.resolve(prop, depth + 1) : null;
    }
    if (typeof key === 'number' && Node.isArrayLiteralExpression(value)) {
      const el = value.getElements()[key];
      return el ? this.resolve(el, depth + 1) : null;
    }
    return null;
  }

  /** What a custom hook returns for `key`: `return { add }` / `return [state, setState]`. */
  private resolveHookReturn(call: CallExpression, key: string | number, depth: number): Source | null {
    const hook = this.functionOf(call.getExpression(), depth);
    if (!hook) return null;
    for (const ret of hook.getDescendantsOfKind(SyntaxKind.ReturnStatement)) {
      if (ret.getFirstAncestor((a) => isFunctionLike(a)) !== hook) continue;
      const expr = ret.getExpression();
      const source = expr ? this.resolveObjectMember(expr, key, depth + 1) : null;
      if (source) return source;
    }
    const body = (hook as Node & { getBody?(): Node | undefined }).getBody?.();
    return body && !Node.isBlock(body) ? this.resolveObjectMember(body, key, depth + 1) : null;
  }
}

/** The identifier naming a component function (`function Row`, `const Row = memo(…)`). */
function componentNameNode(fn: FunctionLike): Node | null {
  if (Node.isFunctionDeclaration(fn) || Node.isFunctionExpression(fn)) {
    const id = fn.getNameNode();
    if (id) return id;
  }
  let n: Node | undefined = fn.getParent();
  while (n && Node.isCallExpression(n)) n = n.getParent();
  return n && Node.isVariableDeclaration(n) ? n.getNameNode() : null;
}

function safeReferences(node: Node): Node[] {
  try {
    return (node as Node & { findReferencesAsNodes(): Node[] }).findReferencesAsNodes();
  } catch {
    return [];
  }
}

/** `{ type: 'add' }` → `add`; `{ type: Actions.Add }` → `Actions.Add`. */
function actionType(arg: Node | undefined): string | null {
  if (!arg || !Node.isObjectLiteralExpression(arg)) return null;
  const prop = arg.getProperty('type');
  if (!prop || !Node.isPropertyAssignment(prop)) return null;
  const init = prop.getInitializer();
  if (!init) return null;
  if (Node.isStringLiteral(init) || Node.isNoSubstitutionTemplateLiteral(init)) return init.getLiteralText();
  return init.getText();
}

/** The fields a reducer's branch for `action` sets: `case 'add': return { ...state, items }` → items. */
function reducerFields(reducer: FunctionLike, action: string): string[] {
  const fields = new Set<string>();
  const matches = (n: Node) => {
    const text = Node.isStringLiteral(n) || Node.isNoSubstitutionTemplateLiteral(n) ? n.getLiteralText() : n.getText();
    return text === action;
  };
  const branches: Node[] = [];
  for (const c of reducer.getDescendantsOfKind(SyntaxKind.CaseClause)) if (matches(c.getExpression())) branches.push(c);
  for (const b of reducer.getDescendantsOfKind(SyntaxKind.BinaryExpression)) {
    if (b.getOperatorToken().getText() !== '===' && b.getOperatorToken().getText() !== '==') continue;
    if (!matches(b.getRight()) && !matches(b.getLeft())) continue;
    const stmt = b.getFirstAncestorByKind(SyntaxKind.IfStatement);
    if (stmt) branches.push(stmt.getThenStatement());
  }
  for (const branch of branches) {
    for (const ret of [...(Node.isReturnStatement(branch) ? [branch] : []), ...branch.getDescendantsOfKind(SyntaxKind.ReturnStatement)]) {
      const e = ret.getExpression();
      if (!e || !Node.isObjectLiteralExpression(e)) continue;
      for (const p of e.getProperties()) {
        if (Node.isPropertyAssignment(p) || Node.isShorthandPropertyAssignment(p) || Node.isMethodDeclaration(p)) fields.add(p.getName());
      }
    }
  }
  return [...fields];
}

function isTransitionStarter(callee: Node): boolean {
  const text = callee.getText();
  if (text === 'startTransition' || text === 'React.startTransition') return true;
  if (!Node.isIdentifier(callee)) return false;
  const decl = callee.getSymbol()?.getDeclarations()[0];
  if (!decl || !Node.isBindingElement(decl)) return false;
  const pattern = decl.getParent();
  if (!Node.isArrayBindingPattern(pattern) || pattern.getElements().indexOf(decl) !== 1) return false;
  const holder = pattern.getParent();
  const init = Node.isVariableDeclaration(holder) ? holder.getInitializer() : undefined;
  return !!init && Node.isCallExpression(init) && /^(React\.)?useTransition$/.test(init.getExpression().getText());
}

/** True when `node` is inside a function passed as the callback of a transition starter, below `top`. */
function inTransition(node: Node, top: Node): boolean {
  for (const a of node.getAncestors()) {
    if (a === top) return false;
    if (isFunctionLike(a)) {
      const parent = a.getParent();
      if (parent && Node.isCallExpression(parent) && parent.getArguments()[0] === a && isTransitionStarter(parent.getExpression())) return true;
    }
  }
  return false;
}
