/// <reference types="chrome" />
/**
 * Source links: a handler's recorded location (the docs' `source`, written from the build
 * plugin's locations) opened in DevTools' Sources panel with `chrome.devtools.panels.openResource`.
 *
 * The docs store the file relative to the spec file (`../src/App.tsx`); DevTools knows files by
 * URL: the dev server's `/src/App.tsx`, or, in a build with source maps, the map's source URL
 * (`/src/demo/src/App.tsx`). So the path is matched by its suffix against the resources DevTools
 * lists for the page (source-mapped sources included), and the page origin plus the path is the
 * last resort. Each candidate is tried until DevTools does not answer "not found".
 */

export interface SourceLocation {
  file: string;
  /** 1-based, as editors and the docs print it. */
  line: number;
}

/** The DevTools calls source links need, injectable for tests. */
export interface DevtoolsSources {
  resources(): Promise<string[]>;
  /** Opens `url` at a 0-based line; resolves false when DevTools does not know the URL. */
  open(url: string, line0: number): Promise<boolean>;
}

/** `../src/App.tsx` → `src/App.tsx`: the part of the path a URL can end with. */
export function sourcePath(file: string): string {
  const parts = file.replace(/\\/g, '/').split('/');
  while (parts.length > 1 && (parts[0] === '..' || parts[0] === '.' || parts[0] === '')) parts.shift();
  return parts.join('/');
}

/** URLs to try, best first: page resources whose path ends with the file's path (shortest path first), then origin + path. */
export function sourceCandidates(file: string, resources: readonly string[], pageUrl: string | null): string[] {
  const path = sourcePath(file);
  const suffix = `/${path}`;
  const pathOf = (u: string) => {
    try {
      return new URL(u).pathname;
    } catch {
      return u;
    }
  };
  const matching = resources.filter((u) => pathOf(u).endsWith(suffix)).sort((a, b) => pathOf(a).length - pathOf(b).length);
  const out = [...new Set(matching)];
  if (pageUrl) {
    try {
      const guess = new URL(suffix, pageUrl).href;
      if (!out.includes(guess)) out.push(guess);
    } catch {
      // An opaque page URL: only the resources DevTools listed.
    }
  }
  return out;
}

/** Opens a recorded location in Sources; returns the URL DevTools accepted, or null. */
export async function openSource(loc: SourceLocation, pageUrl: string | null, api: DevtoolsSources): Promise<string | null> {
  const resources = await api.resources().catch(() => [] as string[]);
  for (const url of sourceCandidates(loc.file, resources, pageUrl)) {
    if (await api.open(url, Math.max(0, loc.line - 1))) return url;
  }
  return null;
}

/** The real DevTools API, or null outside DevTools (the panel opened as a tab). */
export function chromeSources(): DevtoolsSources | null {
  const devtools = typeof chrome !== 'undefined' ? chrome.devtools : undefined;
  if (!devtools?.panels?.openResource || !devtools.inspectedWindow?.getResources) return null;
  return {
    resources: () => new Promise((resolve) => devtools.inspectedWindow.getResources((rs) => resolve(rs.map((r) => r.url)))),
    open: (url, line0) =>
      new Promise((resolve) => {
        // The callback gets DevTools' status: `{ isError: true, code: 'E_NOTFOUND' }` for an unknown URL.
        const done = (status?: unknown) => resolve(!(typeof status === 'object' && status !== null && (status as { isError?: boolean }).isError));
        (devtools.panels.openResource as (u: string, l: number, c: number, cb: (s?: unknown) => void) => void)(url, line0, 0, done);
      }),
  };
}
