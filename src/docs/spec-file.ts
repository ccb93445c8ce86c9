/**
 * Reading homeostat.spec.json and the human-edited markdown next to it into one SpecFile.
 *
 * Agreement rule: the markdown's Budget and Tolerance lines win over the JSON when the two
 * disagree, because people edit the markdown; `homeostat docs` then rewrites the JSON to match.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ts } from 'ts-morph';
import { formatPath } from '../core/session.ts';
import { SPEC_FORMAT, specFileSchema, type SpecFile } from '../core/spec.ts';
import { DocsFormatError } from './errors.ts';
import { parseHandlerBudgets, parseHumanRegions, parseSequenceBudgets, type HumanRegion } from './markdown.ts';

export const SPEC_FILE = 'homeostat.spec.json';
export const HANDLER_SPECS = 'HANDLER_SPECS.md';
export const SEQUENCE_FLOWS = 'SEQUENCE_FLOWS.md';
export const PERFORMANCE = 'PERFORMANCE.md';
export const ERRORS = 'ERRORS.md';

/** The line (1-based) of the JSON value at `path`, found with the TypeScript JSON parser; null if absent. */
function lineOfPath(source: ts.JsonSourceFile, path: ReadonlyArray<PropertyKey>): number | null {
  let node: ts.Node | undefined = source.statements[0]?.expression;
  let found: ts.Node | undefined = node;
  for (const key of path) {
    if (!node) break;
    if (ts.isObjectLiteralExpression(node)) {
      const prop: ts.PropertyAssignment | undefined = node.properties.find(
        (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && ts.isStringLiteral(p.name) && p.name.text === String(key),
      );
      if (!prop) break;
      found = prop;
      node = prop.initializer;
    } else if (ts.isArrayLiteralExpression(node) && typeof key === 'number') {
      node = node.elements[key];
      if (node) found = node;
    } else break;
  }
  return found ? source.getLineAndCharacterOfPosition(found.getStart(source)).line + 1 : null;
}

/** Parses and validates spec JSON text; errors name `file` and the line of the first bad field. */
export function parseSpecText(text: string, file: string): SpecFile {
  const source = ts.parseJsonText(file, text);
  const diagnostics = (source as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  const syntax = diagnostics[0];
  if (syntax) {
    const line = source.getLineAndCharacterOfPosition(syntax.start).line + 1;
    throw new DocsFormatError(file, line, [`not valid JSON: ${ts.flattenDiagnosticMessageText(syntax.messageText, ' ')}`]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new DocsFormatError(file, null, [`not valid JSON: ${(e as Error).message}`]);
  }
  const format = (value as { format?: unknown } | null)?.format;
  if (format !== SPEC_FORMAT) {
    throw new DocsFormatError(file, lineOfPath(source, ['format']), [`format: expected "${SPEC_FORMAT}", got ${JSON.stringify(format)}`]);
  }
  const result = specFileSchema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.slice(0, 10);
    throw new DocsFormatError(
      file,
      lineOfPath(source, issues[0]!.path),
      issues.map((i) => `${formatPath(i.path)}: ${i.message}${issues.length > 1 ? ` (line ${lineOfPath(source, i.path) ?? '?'})` : ''}`),
    );
  }
  return result.data as SpecFile;
}

async function readIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

export interface DocsOnDisk {
  /** The spec with the markdown's budget and tolerance lines applied; null when there is no spec file. */
  spec: SpecFile | null;
  /** Raw markdown by file name (null when absent). */
  markdown: Record<string, string | null>;
  /** The human regions of each markdown file, by file name. */
  regions: Record<string, Map<string, HumanRegion>>;
}

/** Reads whatever docs exist in `docsDir`, validating everything before anyone writes. */
export async function readDocsDir(docsDir: string): Promise<DocsOnDisk> {
  const specPath = join(docsDir, SPEC_FILE);
  const specText = await readIfExists(specPath);
  const spec = specText === null ? null : parseSpecText(specText, specPath);
  const markdown: Record<string, string | null> = {};
  const regions: Record<string, Map<string, HumanRegion>> = {};
  for (const name of [HANDLER_SPECS, SEQUENCE_FLOWS, PERFORMANCE, ERRORS]) {
    const text = await readIfExists(join(docsDir, name));
    markdown[name] = text;
    regions[name] = text === null ? new Map() : parseHumanRegions(text, join(docsDir, name));
  }
  if (spec) applyMarkdownBudgets(spec, markdown, docsDir);
  return { spec, markdown, regions };
}

/** Overlays the markdown budget/tolerance lines on `spec` (markdown wins). Parses both files, so it also validates them. */
export function applyMarkdownBudgets(spec: SpecFile, markdown: Record<string, string | null>, docsDir: string): void {
  const handlersMd = markdown[HANDLER_SPECS];
  if (handlersMd != null) {
    for (const [name, b] of parseHandlerBudgets(handlersMd, join(docsDir, HANDLER_SPECS))) {
      const h = (spec.handlers[name] ??= { budget: null, baseline: null, tolerance: null, source: null, description: null });
      h.budget = b.budget;
      if (b.tolerance !== undefined) h.tolerance = b.tolerance;
    }
  }
  const sequencesMd = markdown[SEQUENCE_FLOWS];
  if (sequencesMd != null) {
    for (const [name, b] of parseSequenceBudgets(sequencesMd, join(docsDir, SEQUENCE_FLOWS))) {
      const s = (spec.sequences[name] ??= { handlers: [], budget: null, baseline: null });
      s.budget = b.budget;
    }
  }
}

/** Reads and validates the docs' spec, with the budgets people edited in the markdown applied. */
export async function readDocs(docsDir: string): Promise<SpecFile> {
  const { spec } = await readDocsDir(docsDir);
  if (!spec) throw new DocsFormatError(join(docsDir, SPEC_FILE), null, ['no spec file here; run `homeostat docs` first']);
  return spec;
}
