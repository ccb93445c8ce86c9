/**
 * Static analysis of an app's JavaScript/TypeScript (.js, .jsx, .ts, .tsx) with the compiler
 * (through ts-morph): every instrumented handler — the literal names passed to `instrument`,
 * `useHandler` and `sequence`, and what the build plugin (`@homeostat/tools/vite`, `@homeostat/tools/babel`)
 * instruments, named exactly as the plugin names it — with its location, signature, JSDoc, and
 * the React state updates it makes: where each is made, the state it changes (through props,
 * context, custom hooks and reducers, see `updates.ts`), and whether it runs inside
 * `startTransition` / `useTransition`'s start function.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { Node, Project, SyntaxKind, TypeFormatFlags, type CallExpression, type SourceFile } from 'ts-morph';
import { findSites } from '../vite/transform.ts';
import type { InstrumentedSite } from '../vite/babel.ts';
import { UpdateFinder, isFunctionLike, type HandlerIndex, type StateUpdate } from './updates.ts';
import { relateHandlers, type ErrorHandling, type Route } from './handler-facts.ts';

export type { StateUpdate } from './updates.ts';
export type { ErrorHandling, Route, CatchSite } from './handler-facts.ts';

/** How a handler is named: by a wrapper call in the code, or by the build plugin (`auto`). */
export type HandlerKind = 'instrument' | 'useHandler' | 'sequence' | 'auto';

export interface HandlerSource {
  name: string;
  /** Relative to the analysed root, posix separators. */
  file: string;
  line: number;
  column: number;
  kind: HandlerKind;
  signature: string;
  /** `description` is the JSDoc/TSDoc `@param` text, when written. */
  params: { name: string; type: string; description?: string }[];
  returns: string;
  async: boolean;
  description: string | null;
  /** The enclosing component (PascalCase function) or hook (`use…`), if any. */
  component: string | null;
  /**
   * State updates the handler makes: directly, through functions it calls (any file), setters
   * and `dispatch` received through props, context or custom hooks; own updates first, then
   * those made through other plugin-instrumented handlers (`via`).
   */
  updates: StateUpdate[];
  /** Where the wrapped function itself is defined, when it is not inline at the call (e.g. `instrument('x', x)`). */
  definition: { file: string; line: number } | null;
  /** Where events reach it: element, component, file:line, and the props a callback travels through. */
  routes?: Route[];
  /** Other instrumented handlers it calls. */
  calls?: string[];
  /** Called while a component renders (not from an event): render work. */
  renderTime?: boolean;
  /** Its try/catch blocks, what they show, and the error boundaries above its component. */
  errorHandling?: ErrorHandling;
}

export interface ProjectAnalysis {
  root: string;
  handlers: HandlerSource[];
}

export interface AnalyzeOptions {
  /** A tsconfig whose compiler options to use (files still come from `root` / `include`). */
  tsconfig?: string;
  /** Globs relative to `root` (default: every .js/.jsx/.ts/.tsx/.mjs/.mts file). */
  include?: string[];
  /** Globs relative to `root` to leave out, besides node_modules, tests and declarations. */
  exclude?: string[];
  /**
   * Also document what the build plugin (`@homeostat/tools/vite`, `@homeostat/tools/babel`) instruments.
   * Default: when a Vite, Babel or Next config in `root` or up to three folders above it uses the plugin.
   */
  plugin?: boolean;
}

export const DEFAULT_INCLUDE = ['**/*.{ts,tsx,js,jsx,mts,mjs}'];

const WRAPPERS: Record<string, HandlerKind> = { instrument: 'instrument', useHandler: 'useHandler', sequence: 'sequence' };
const MODULE = /^homeostat(\/react)?$/;
const FUNCTION_KINDS = new Set([SyntaxKind.ArrowFunction, SyntaxKind.FunctionExpression, SyntaxKind.FunctionDeclaration, SyntaxKind.MethodDeclaration]);

type FunctionLike = Node & { getParameters(): Node[] };

/** Analyses every source file under `root`; handlers are sorted by name, then file and line. */
export async function analyzeProject(root: string, options: AnalyzeOptions = {}): Promise<ProjectAnalysis> {
  const absRoot = resolve(root);
  const project = options.tsconfig
    ? new Project({ tsConfigFilePath: resolve(options.tsconfig), skipAddingFilesFromTsConfig: true, compilerOptions: { allowJs: true } })
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
  const include = options.include ?? DEFAULT_INCLUDE;
  project.addSourceFilesAtPaths([
    ...include.map((g) => `${absRoot}/${g}`),
    `!${absRoot}/**/node_modules/**`,
    `!${absRoot}/**/*.d.ts`,
    `!${absRoot}/**/*.test.*`,
    `!${absRoot}/**/*.spec.*`,
    ...(options.exclude ?? []).map((g) => `!${absRoot}/${g}`),
  ]);
  const files = project.getSourceFiles().filter((sf) => sf.getFilePath().startsWith(absRoot));
  // First every handler (explicit and plugin-named), so following calls knows which functions are handlers.
  const plugin = options.plugin ?? usesPlugin(absRoot);
  const found: Found[] = [];
  for (const sf of files) found.push(...explicitHandlers(sf), ...(plugin ? await autoHandlers(sf, absRoot) : []));
  const byFunction = new Map<Node, { name: string; explicit: boolean }>();
  for (const f of found) if (f.fn && !f.wrap && !byFunction.has(f.fn)) byFunction.set(f.fn, { name: f.name, explicit: f.kind !== 'auto' });
  const index: HandlerIndex = { handlerAt: (fn) => byFunction.get(fn) };
  const finder = new UpdateFinder(project, absRoot, index);
  const kept = found.filter((f) => {
    if (!f.wrap) return true;
    // The plugin wraps a value where it is passed, unless it already is a handler (then it records as that one).
    const source = finder.resolve(f.at, 0);
    if (source?.kind === 'function') {
      if (index.handlerAt(source.fn)) return false;
      f.fn = source.fn;
    }
    return true;
  });
  const bindings = kept.map((f) => ({ name: f.name, fn: f.fn, at: f.at, component: f.component }));
  const relations = relateHandlers(bindings, absRoot);
  const handlers = kept.map((f, i) => {
    const r = relations.get(bindings[i]!)!;
    return { ...describeHandler(f, absRoot, finder), routes: r.routes, calls: r.calls, renderTime: r.renderTime, errorHandling: r.errors };
  });
  handlers.sort((a, b) => a.name.localeCompare(b.name) || a.file.localeCompare(b.file) || a.line - b.line);
  return { root: absRoot, handlers };
}

const CONFIGS = ['vite.config.ts', 'vite.config.js', 'vite.config.mts', 'vite.config.mjs', 'babel.config.js', 'babel.config.cjs', 'babel.config.mjs', 'babel.config.json', '.babelrc', '.babelrc.json', 'next.config.js', 'next.config.mjs', 'next.config.ts'];

/** The folders a build config for `root` would be in: root itself and three above (`<app>/src/…`). */
function configDirs(root: string): string[] {
  return [root, resolve(root, '..'), resolve(root, '../..'), resolve(root, '../../..')];
}

/** True when a Vite/Babel/Next config near `root` uses the build plugin (`@homeostat/tools/vite` or `/babel`; `homeostat/vite` before the tools had a package of their own). */
export function usesPlugin(root: string): boolean {
  for (const dir of configDirs(root)) {
    for (const name of CONFIGS) {
      try {
        if (/homeostat\/(?:tools\/)?(vite|babel)\b/.test(readFileSync(resolve(dir, name), 'utf8'))) return true;
      } catch {
        // No such config here.
      }
    }
  }
  return false;
}

/** A handler found in the code, before it is described. */
interface Found {
  name: string;
  kind: HandlerKind;
  sf: SourceFile;
  /** Where the handler is named (the wrapper call, or the instrumented function). */
  at: Node;
  fn: FunctionLike | null;
  component: string | null;
  /** The call that names it, for JSDoc on its statement. */
  call: CallExpression | null;
  /** A value the plugin wraps where it is passed (not a function it instruments in place). */
  wrap?: boolean;
}

function describeHandler(f: Found, root: string, finder: UpdateFinder): HandlerSource {
  const { fn, sf } = f;
  const { line, column } = sf.getLineAndColumnAtPos(f.at.getStart());
  const docs = paramDocs(f.call, fn);
  const params = fn
    ? fn.getParameters().map((p) => {
        const out = paramOf(p);
        const bare = out.name.replace(/^\.\.\.|\?$/g, '');
        const d = docs.get(bare);
        return d ? { ...out, description: d } : out;
      })
    : [];
  const returns = fn ? returnType(fn) : 'unknown';
  const isAsync = fn ? isAsyncFunction(fn) : false;
  const definition = fn && !(fn === f.at || isInside(fn, f.at)) ? { file: rel(root, fn.getSourceFile().getFilePath()), line: fn.getStartLineNumber() } : null;
  return {
    name: f.name,
    file: rel(root, sf.getFilePath()),
    line,
    column,
    kind: f.kind,
    signature: `${isAsync ? 'async ' : ''}(${params.map((p) => `${p.name}: ${p.type}`).join(', ')}) => ${returns}`,
    params,
    returns,
    async: isAsync,
    description: f.call ? describe(f.call, fn) : fn ? describeFunction(fn) : null,
    component: f.component,
    updates: fn ? finder.find(fn).map((u) => ({ ...u, file: u.file ?? rel(root, sf.getFilePath()) })) : [],
    definition,
  };
}

/** Handlers the build plugin instruments in this file, named as the plugin names them. */
async function autoHandlers(sf: SourceFile, root: string): Promise<Found[]> {
  let sites: InstrumentedSite[];
  const text = sf.getFullText();
  try {
    sites = await findSites(text, sf.getFilePath(), root);
  } catch {
    // Code Babel cannot parse (the compiler may still read it): no plugin-named handlers here.
    return [];
  }
  const out: Found[] = [];
  for (const site of sites) {
    const node = nodeAt(sf, site.start, site.end);
    if (!node) continue;
    const fn = isFunctionLike(node) ? node : resolveFunction(node);
    out.push({ name: site.name, kind: 'auto', sf, at: node, fn, component: site.owner && /^[A-Z]|^use[A-Z]/.test(site.owner) ? site.owner : null, call: null, wrap: site.kind === 'wrap' });
  }
  return out;
}

/** The node spanning exactly [start, end) of the file text. */
function nodeAt(sf: SourceFile, start: number, end: number): Node | null {
  let node: Node | undefined = sf.getDescendantAtPos(start);
  while (node && !(node.getStart() === start && node.getEnd() === end)) {
    const parent: Node | undefined = node.getParent();
    if (!parent || parent.getStart() < start) return null;
    node = parent;
  }
  return node ?? null;
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

function explicitHandlers(sf: SourceFile): Found[] {
  const wrappers = wrapperNames(sf);
  if (wrappers.size === 0) return [];
  const out: Found[] = [];
  for (const call of sf.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const kind = wrappers.get(call.getExpression().getText());
    if (!kind) continue;
    const [nameArg, fnArg] = call.getArguments();
    if (!nameArg || !(Node.isStringLiteral(nameArg) || Node.isNoSubstitutionTemplateLiteral(nameArg))) continue;
    out.push({ name: nameArg.getLiteralText(), kind, sf, at: call, fn: fnArg ? resolveFunction(fnArg) : null, component: enclosingComponent(call), call });
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

/** JSDoc of a function the plugin named: on its declaration, or the statement declaring it. */
function describeFunction(fn: FunctionLike): string | null {
  if (Node.isFunctionDeclaration(fn) || Node.isMethodDeclaration(fn)) return jsDocText(fn);
  const decl = fn.getFirstAncestorByKind(SyntaxKind.VariableStatement);
  return decl && !fn.getFirstAncestorByKind(SyntaxKind.JsxAttribute) ? jsDocText(decl) : null;
}

/** `@param name text` from the JSDoc on the handler's statement and on its function's declaration. */
function paramDocs(call: CallExpression | null, fn: FunctionLike | null): Map<string, string> {
  const holders: Node[] = [];
  const statement = call?.getFirstAncestor((a) => Node.isVariableStatement(a) || Node.isExpressionStatement(a));
  if (statement) holders.push(statement);
  if (fn) {
    holders.push(fn);
    const decl = fn.getFirstAncestorByKind(SyntaxKind.VariableStatement);
    if (decl && !fn.getFirstAncestorByKind(SyntaxKind.JsxAttribute)) holders.push(decl);
  }
  const out = new Map<string, string>();
  for (const h of holders) {
    for (const doc of (h as Node & { getJsDocs?(): Node[] }).getJsDocs?.() ?? []) {
      for (const tag of (doc as Node & { getTags(): Node[] }).getTags()) {
        if (!Node.isJSDocParameterTag(tag)) continue;
        const text = oneLine(tag.getCommentText() ?? '').replace(/^-\s*/, '');
        if (text && !out.has(tag.getName())) out.set(tag.getName(), text);
      }
    }
  }
  return out;
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
