import { createTwoFilesPatch } from 'diff';

/** Lines of a file, 1-based, both ends included. */
export interface LineRange {
  start: number;
  end: number;
}

/** Another file a codemod writes: `before` is null for a file it creates. */
export interface FileChange {
  file: string;
  before: string | null;
  after: string;
}

/** What a codemod did to one file (and the files it created beside it). */
export interface CodemodResult {
  file: string;
  before: string;
  after: string;
  /** One line per edit, for reports and commit messages. */
  edits: string[];
  /**
   * The original lines the codemod meant to change (the nodes it replaced, where it inserted):
   * everything outside them must come out byte-identical (the corpus test holds every codemod to it).
   */
  touched?: LineRange[];
  /** Files created (or changed) besides `file`, e.g. a hook module placed next to the component. */
  also?: FileChange[];
}

/** A unified diff of one file's change, with paths relative to the repository root (git style); a created file diffs against /dev/null. */
export function fileDiff(change: FileChange): string {
  const created = change.before === null;
  const patch = createTwoFilesPatch(created ? '/dev/null' : `a/${change.file}`, `b/${change.file}`, change.before ?? '', change.after, '', '', { context: 3 });
  // diff's header starts with an "Index"/"====" preamble; git's starts at the file names.
  const body = patch.slice(patch.indexOf('--- '));
  return `diff --git a/${change.file} b/${change.file}\n${created ? 'new file mode 100644\n' : ''}${body.replace(/\t$/gm, '')}`;
}

/** The whole change as a unified diff: the codemod's file, then the files it created. */
export function unifiedDiff(result: Pick<CodemodResult, 'file' | 'before' | 'after'> & { also?: readonly FileChange[] }): string {
  return [fileDiff(result), ...(result.also ?? []).map(fileDiff)].join('');
}
