import { createTwoFilesPatch } from 'diff';

/** What a codemod did to one file. */
export interface CodemodResult {
  file: string;
  before: string;
  after: string;
  /** One line per edit, for reports and commit messages. */
  edits: string[];
}

/** A unified diff of the change, with paths relative to the repository root (git style). */
export function unifiedDiff(result: Pick<CodemodResult, 'file' | 'before' | 'after'>): string {
  const patch = createTwoFilesPatch(`a/${result.file}`, `b/${result.file}`, result.before, result.after, '', '', { context: 3 });
  // diff's header starts with an "Index"/"====" preamble; git's starts at the file names.
  const body = patch.slice(patch.indexOf('--- '));
  return `diff --git a/${result.file} b/${result.file}\n${body.replace(/\t$/gm, '')}`;
}
