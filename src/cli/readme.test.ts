/**
 * Every `homeostat <command> --option` the README and the docs/ pages name exists in the command
 * line, and every `npm run <script>` exists in package.json: the newcomer's page never names a
 * command that is not there.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allCommands } from './registry.ts';
import { usageOptions } from './run.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const pages = ['README.md', ...readdirSync(join(repo, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const GLOBAL = ['help', 'version'];

/** The code in a markdown page: fenced blocks line by line, and inline `code` spans. */
function codeOf(text: string): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const line of text.split('\n')) {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (fenced) out.push(line);
    else for (const m of line.matchAll(/`([^`]+)`/g)) out.push(m[1]!);
  }
  return out;
}

/** `homeostat <command> …` invocations in a line of code, with the options each names. */
export function invocations(code: string): Array<{ command: string; options: string[] }> {
  const out: Array<{ command: string; options: string[] }> = [];
  // Up to the next invocation, a shell separator or a comment.
  for (const m of code.matchAll(/(?:^|[\s(])(?<!import\s)homeostat (--?[a-z-]+|[a-z][a-z-]*)(?=\s|$)((?:(?!homeostat |&&|\|\||;|#).)*)/g)) {
    const command = m[1]!;
    const rest = m[2] ?? '';
    const options = [...rest.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)].map((o) => o[1]!);
    out.push({ command, options });
  }
  return out;
}

describe('the README and docs/ name only commands and options that exist', async () => {
  const commands = new Map((await allCommands()).map((c) => [c.name, new Set([...usageOptions(c.usage), 'help'])]));
  const scripts = Object.keys((JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);

  it('finds invocations to check (the README names every command)', () => {
    const named = new Set(codeOf(readFileSync(join(repo, 'README.md'), 'utf8')).flatMap(invocations).map((i) => i.command));
    for (const c of commands.keys()) expect(named, c).toContain(c);
  });

  for (const page of pages) {
    it(page, () => {
      const problems: string[] = [];
      for (const code of codeOf(readFileSync(join(repo, page), 'utf8'))) {
        for (const { command, options } of invocations(code)) {
          if (command.startsWith('-')) {
            if (!GLOBAL.includes(command.replace(/^-+/, ''))) problems.push(`${code}: homeostat ${command}`);
            continue;
          }
          const known = commands.get(command);
          if (!known) {
            problems.push(`${code}: no command "${command}"`);
            continue;
          }
          for (const o of options) if (!known.has(o)) problems.push(`${code}: homeostat ${command} has no --${o}`);
        }
        for (const m of code.matchAll(/npm run ([a-z][\w:-]*)/g)) if (!scripts.includes(m[1]!)) problems.push(`${code}: no npm script "${m[1]}"`);
      }
      expect(problems).toEqual([]);
    });
  }
});

describe('invocations', () => {
  it('reads the command and its options up to the next command or separator', () => {
    expect(invocations('npx homeostat replay a.json --url http://x/ --runs 5 && homeostat check --json # --not')).toEqual([
      { command: 'replay', options: ['url', 'runs'] },
      { command: 'check', options: ['json'] },
    ]);
    expect(invocations('import x from "homeostat/react"')).toEqual([]);
    expect(invocations("import homeostat from '@homeostat/tools/vite'")).toEqual([]);
    expect(invocations('homeostat replay: unknown option --rnus')).toEqual([]);
  });
});

describe('the README for a newcomer', () => {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');

  it('stays short enough to read top-down (about 250 lines)', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(260);
  });

  it("promises the commands CI runs: .ci/run's npm ci and npm test, and npm start", () => {
    const ci = readFileSync(join(repo, '.ci/run'), 'utf8');
    expect(ci).toMatch(/^npm ci\b/m);
    expect(ci).toMatch(/^npm test$/m);
    expect(readme).toContain('npm ci && npm test');
    expect(readme).toContain('npm ci && npm start');
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['start']).toMatch(/heal --demo$/);
    for (const s of ['typecheck', 'lint:layers', 'test:unit', 'test:package', 'test:e2e']) expect(pkg.scripts['test']).toContain(`npm run ${s}`);
  });

  it('links only files that exist (docs/panel.md is written by the panel work)', () => {
    const missing: string[] = [];
    for (const page of pages) {
      const text = readFileSync(join(repo, page), 'utf8');
      for (const m of text.matchAll(/\]\((?!https?:|#|mailto:|…)([^)#\s]+)(#[^)]*)?\)/g)) {
        const target = join(repo, page, '..', m[1]!);
        if (target === join(repo, 'docs/panel.md')) continue;
        try {
          readFileSync(target);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'EISDIR') continue;
          missing.push(`${page}: ${m[1]}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
