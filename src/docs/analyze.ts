/**
 * Static analysis of an app's TypeScript/TSX with the compiler (through ts-morph): every
 * instrumented handler — the literal names passed to `instrument`, `useHandler` and `sequence` —
 * with its location, signature, JSDoc, and the React state updates its body makes (and whether
 * they run inside `startTransition` / `useTransition`'s start function).
 */
import { relative, resolve, sep } from 'node:path';
import { Node, Project, SyntaxKind, TypeFormatFlags, type CallExpression, type SourceFile } from 'ts-morph';

export type HandlerKind = 'instrument' | 'useHandler' | 'sequence';

export interface HandlerSource {
  name: string;
  /** Relative to the analysed root, posix separators. */
  file: string;
  line: number;
  column: number;
  kind: HandlerKind;
  signature: string;
  params: { name: string; type: string }[];
  returns: string;
  async: boolean;
  description: string | null;
  /** The enclosing component (PascalCase function) or hook (`use…`), if any. */
  component: string | null;
  /** State setter calls the handler body makes (following plain functions of the same file), and whether inside a transition. */
  updates: { setter: string; line: number; transition: boolean }[];
  /** Where the wrapped function itself is defined, when it is not inline at the call (e.g. `instrument('x', x)`). */
  definition: { file: string; line: number } | null;
}

export interface ProjectAnalysis {
  root: string;
  handlers: HandlerSource[];
}

export interface AnalyzeOptions {
  /** A tsconfig whose compiler options to use (files still come from `root` / `include`). */
  tsconfig?: string;
  /** Globs relative to `root` (default: every .ts/.tsx file except tests and declarations). */
  include?: string[];
}

const WRAPPERS: Record<string, HandlerKind> = { instrument: 'instrument', useHandler: 'useHandler', sequence: 'sequence' };
const MODULE = /^homeostat(\/react)?$/;
const FUNCTION_KINDS = new Set([SyntaxKind.ArrowFunction, SyntaxKind.FunctionExpression, SyntaxKind.FunctionDeclaration, SyntaxKind.MethodDeclaration]);

type FunctionLike = Node & { getParameters(): Node[] };

/** Analyses every source file under `root`; handlers are sorted by name, then file and line. */
export async function analyzeProject(root: string, options: AnalyzeOptions = {}): Promise<ProjectAnalysis> {
  const absRoot = resolve(root);
  const project = options.tsconfig
    ? new Project({ tsConfigFilePath: resolve(options.tsconfig), skipAddingFilesFromTsConfig: true })
    : new Project({
        compilerOptions: {
          target: 99,
          module: 99,
          moduleResolution: 100, // bundler
          jsx: 4, // react-jsx
          strict: true,
          allowJs: true,
          allowImportingTsExtensions: true,
          noEmit: true,
          skipLibCheck: true,
        },
      });
  const include = options.include ?? ['**/*.ts', '**/*.tsx'];
  project.addSourceFilesAtPaths([
    ...include.map((g) => `${absRoot}/${g}`),
    `!${absRoot}/**/node_modules/**`,
    `!${absRoot}/**/*.d.ts`,
    `!${absRoot}/**/*.test.*`,
  ]);
  const handlers: HandlerSource[] = [];
  for (const sf of project.getSourceFiles()) {
    if (!sf.getFilePath().startsWith(absRoot)) continue;
    handlers.push(...analyzeFile(sf, absRoot));
  }
  handlers.sort((a, b) => a.name.localeCompare(b.name) || a.file.localeCompare(b.file) || a.line - b.line);
  return { root: absRoot, handlers };
}

function rel(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}

/** Local names under which the file imports `instrument`, `useHandler` and `sequence` from Homeostat. */
function wrapperNames(sf: SourceFile): Map<string, HandlerKind> {
  const out = new Map<string, HandlerKind>();
  for (const imp of sf.getImportDeclarations()) {
    if (!MODULE.test(imp.getModuleSpecifierValue())) continue;
    for (const spec of imp.getNamedImports()) {
      const kind = WRAPPERS[spec.getName()];
      if (kind) out.set(spec.getAliasNode()?.getText() ?? spec.getName(), kind);
    }
  }
  return out;
}

function analyzeFile(sf: SourceFile, root: string): HandlerSource[] {
  const wrappers = wrapperNames(sf);
  if (wrappers.size === 0) return [];
  const out: HandlerSource[] = [];
  for (const call of sf.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const kind = wrappers.get(call.getExpression().getText());
    if (!kind) continue;
    const [nameArg, fnArg] = call.getArguments();
    if (!nameArg || !(Node.isStringLiteral(nameArg) || Node.isNoSubstitutionTemplateLiteral(nameArg))) continue;
    const fn = fnArg ? resolveFunction(fnArg) : null;
    const { line, column } = sf.getLineAndColumnAtPos(call.getStart());
    const params = fn ? fn.getParameters().map((p) => paramOf(p)) : [];
    const returns = fn ? returnType(fn) : 'unknown';
    const isAsync = fn ? isAsyncFunction(fn) : false;
    const definition = fn && !isInside(fn, call) ? { file: rel(root, fn.getSourceFile().getFilePath()), line: fn.getStartLineNumber() } : null;
    out.push({
      name: nameArg.getLiteralText(),
      file: rel(root, sf.getFilePath()),
      line,
      column,
      kind,
      signature: `${isAsync ? 'async ' : ''}(${params.map((p) => `${p.name}: ${p.type}`).join(', ')}) => ${returns}`,
      params,
      returns,
      async: isAsync,
      description: describe(call, fn),
      component: enclosingComponent(call),
      updates: fn ? stateUpdates(fn, wrappers) : [],
      definition,
    });
  }
  return out;
}

function isInside(node: Node, ancestor: Node): boolean {
  return node.getAncestors().includes(ancestor);
}

/** The function a wrapper wraps: inline, or through an identifier to its declaration (any file). */
function resolveFunction(node: Node): FunctionLike | null {
  if (FUNCTION_KINDS.has(node.getKind())) return node as FunctionLike;
  if (Node.isIdentifier(node) || Node.isPropertyAccessExpression(node)) {
    for (const def of node.getType().getCallSignatures().length > 0 ? (Node.isIdentifier(node) ? node.getDefinitionNodes() : []) : []) {
      if (FUNCTION_KINDS.has(def.getKind())) return def as FunctionLike;
      if (Node.isVariableDeclaration(def)) {
        const init = def.getInitializer();
        if (init && FUNCTION_KINDS.has(init.getKind())) return init as unknown as FunctionLike;
      }
    }
  }
  return null;
}

function paramOf(p: Node): { name: string; type: string } {
  if (!Node.isParameterDeclaration(p)) return { name: p.getText(), type: 'unknown' };
  const typeNode = p.getTypeNode();
  const type = typeNode ? typeNode.getText() : p.getType().getText(p, TypeFormatFlags.UseAliasDefinedOutsideCurrentScope);
  return { name: `${p.isRestParameter() ? '...' : ''}${p.getNameNode().getText()}${p.hasQuestionToken() ? '?' : ''}`, type: oneLine(type) };
}

function returnType(fn: FunctionLike): string {
  const declared = (fn as Node & { getReturnTypeNode?(): Node | undefined }).getReturnTypeNode?.();
  if (declared) return oneLine(declared.getText());
  const sig = fn.getType().getCallSignatures()[0];
  return sig ? oneLine(sig.getReturnType().getText(fn, TypeFormatFlags.UseAliasDefinedOutsideCurrentScope | TypeFormatFlags.NoTruncation)) : 'unknown';
}

function isAsyncFunction(fn: FunctionLike): boolean {
  const f = fn as Node & { isAsync?(): boolean };
  return f.isAsync?.() === true || /^Promise</.test(returnType(fn));
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** JSDoc on the statement that creates the handler, else on the wrapped function's declaration. */
function describe(call: CallExpression, fn: FunctionLike | null): string | null {
  const statement = call.getFirstAncestor((a) => Node.isVariableStatement(a) || Node.isExpressionStatement(a));
  const fromStatement = statement && Node.isVariableStatement(statement) ? jsDocText(statement) : null;
  if (fromStatement) return fromStatement;
  if (!fn) return null;
  if (Node.isFunctionDeclaration(fn)) return jsDocText(fn);
  const decl = fn.getFirstAncestorByKind(SyntaxKind.VariableStatement);
  return decl ? jsDocText(decl) : null;
}

function jsDocText(node: Node): string | null {
  const docs = (node as Node & { getJsDocs?(): Array<{ getDescription(): string }> }).getJsDocs?.() ?? [];
  const text = docs.map((d) => d.getDescription().trim()).filter((t) => t !== '').join('\n');
  return text === '' ? null : oneLine(text);
}

/** The nearest enclosing named function that looks like a component (PascalCase) or a hook (`useX`). */
function enclosingComponent(node: Node): string | null {
  for (const a of node.getAncestors()) {
    let name: string | undefined;
    if (Node.isFunctionDeclaration(a)) name = a.getName();
    else if ((Node.isArrowFunction(a) || Node.isFunctionExpression(a)) && Node.isVariableDeclaration(a.getParent())) {
      name = (a.getParent() as Node & { getName(): string }).getName();
    }
    if (name && (/^[A-Z]/.test(name) || /^use[A-Z]/.test(name))) return name;
  }
  return null;
}

/** Declaration of the identifier called, if it is in the same file. */
function declarationOf(node: Node): Node | null {
  if (!Node.isIdentifier(node)) return null;
  const decl = node.getSymbol()?.getDeclarations()[0];
  return decl && decl.getSourceFile() === node.getSourceFile() ? decl : null;
}

/** `[value, setValue] = useState(…)` / `useReducer` (index 1) or `[pending, start] = useTransition()` (index 1). */
function hookBinding(decl: Node | null, hooks: RegExp): boolean {
  if (!decl || !Node.isBindingElement(decl)) return false;
  const pattern = decl.getParent();
  if (!Node.isArrayBindingPattern(pattern) || pattern.getElements().indexOf(decl) !== 1) return false;
  const init = pattern.getParent();
  if (!Node.isVariableDeclaration(init)) return false;
  const call = init.getInitializer();
  return !!call && Node.isCallExpression(call) && hooks.test(call.getExpression().getText());
}

function isTransitionStarter(callee: Node): boolean {
  const text = callee.getText();
  if (text === 'startTransition' || text === 'React.startTransition') return true;
  return hookBinding(declarationOf(callee), /^(React\.)?useTransition$/);
}

/** True when `node` is inside a function passed as the callback of a transition starter, below `top`. */
function inTransition(node: Node, top: Node): boolean {
  for (const a of node.getAncestors()) {
    if (a === top) return false;
    if (FUNCTION_KINDS.has(a.getKind())) {
      const parent = a.getParent();
      if (parent && Node.isCallExpression(parent) && parent.getArguments()[0] === a && isTransitionStarter(parent.getExpression())) return true;
    }
  }
  return false;
}

function stateUpdates(fn: FunctionLike, wrappers: Map<string, HandlerKind>): HandlerSource['updates'] {
  const out: HandlerSource['updates'] = [];
  const visited = new Set<Node>();
  const walk = (body: Node, inherited: boolean) => {
    if (visited.has(body)) return;
    visited.add(body);
    for (const call of body.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      const callee = call.getExpression();
      const decl = declarationOf(callee);
      const transition = inherited || inTransition(call, body);
      if (hookBinding(decl, /^(React\.)?(useState|useReducer)$/)) {
        out.push({ setter: callee.getText(), line: call.getStartLineNumber(), transition });
        continue;
      }
      // Follow plain functions of the same file, not other instrumented handlers: their updates are theirs.
      let target: Node | null = null;
      if (decl && FUNCTION_KINDS.has(decl.getKind())) target = decl;
      else if (decl && Node.isVariableDeclaration(decl)) {
        const init = decl.getInitializer();
        if (init && FUNCTION_KINDS.has(init.getKind())) target = init;
        if (init && Node.isCallExpression(init) && wrappers.has(init.getExpression().getText())) target = null;
      }
      if (target && target.getSourceFile() === fn.getSourceFile()) walk(target, transition);
    }
  };
  walk(fn, false);
  const seen = new Set<string>();
  return out
    .filter((u) => {
      const key = `${u.setter}:${u.line}:${u.transition}`;
      return seen.has(key) ? false : (seen.add(key), true);
    })
    .sort((a, b) => a.line - b.line || a.setter.localeCompare(b.setter));
}
