/**
 * Formatting a codemod's output the way the project formats code: when the project has a
 * prettier config (a `.prettierrc*`, `prettier.config.*`, or a "prettier" key in package.json),
 * the lines the codemod changed are formatted with it (prettier's range formatting, so code the
 * codemod did not touch keeps its bytes even where it was never prettier-clean), and files it
 * created are formatted whole. The project's own prettier is used when it has one installed,
 * else the one the tools depend on. Without a config nothing changes: recast already kept the
 * file's style.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { diffLines } from 'diff';
import type { CodemodResult, FileChange } from './result.ts';

type Prettier = typeof import('prettier');

async function loadPrettier(tree: string): Promise<Prettier> {
  try {
    const resolved = createRequire(join(tree, 'package.json')).resolve('prettier');
    return (await import(pathToFileURL(resolved).href)) as Prettier;
  } catch {
    return import('prettier');
  }
}

/** Character ranges of `after` that are new relative to `before` (what the codemod wrote). */
export function changedRanges(before: string, after: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let at = 0;
  for (const part of diffLines(before, after)) {
    if (part.removed) continue;
    if (part.added) out.push([at, at + part.value.length]);
    at += part.value.length;
  }
  return out;
}

async function formatRanges(prettier: Prettier, code: string, filepath: string, options: object, ranges: Array<[number, number]>): Promise<string> {
  let out = code;
  // Bottom-up: formatting a range never moves the ranges above it.
  for (const [start, end] of [...ranges].sort((a, b) => b[0] - a[0])) {
    out = await prettier.format(out, { ...options, filepath, rangeStart: start, rangeEnd: end });
  }
  return out;
}

/** The result with the changed ranges formatted by the project's prettier config; unchanged without one (or when prettier cannot parse the file). */
export async function formatChanged(tree: string, result: CodemodResult): Promise<CodemodResult> {
  const filepath = join(tree, result.file);
  const prettier = await loadPrettier(tree);
  let configFile: string | null;
  try {
    configFile = await prettier.resolveConfigFile(filepath);
  } catch {
    return result;
  }
  if (!configFile) return result;
  const config = (await prettier.resolveConfig(filepath, { editorconfig: true }).catch(() => null)) ?? {};
  try {
    const after = await formatRanges(prettier, result.after, filepath, config, changedRanges(result.before, result.after));
    const also: FileChange[] = [];
    for (const f of result.also ?? []) {
      const path = join(tree, f.file);
      const options = (await prettier.resolveConfig(path, { editorconfig: true }).catch(() => null)) ?? config;
      also.push({ ...f, after: f.before === null ? await prettier.format(f.after, { ...options, filepath: path }) : await formatRanges(prettier, f.after, path, options, changedRanges(f.before, f.after)) });
    }
    return { ...result, after, ...(also.length ? { also } : {}) };
  } catch {
    // A syntax prettier's parsers reject: recast's output (the file's own style) is kept.
    return result;
  }
}
