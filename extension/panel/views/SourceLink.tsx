/**
 * A handler's source location as a link that opens it in DevTools' Sources panel: the docs'
 * `source` first (what the team documented), else where the build plugin saw the handler.
 */
import { useState } from 'react';
import type { SpecFile } from '../../../src/core/spec.ts';
import { useLive } from '../context.tsx';
import { chromeSources, openSource, sourcePath, type DevtoolsSources, type SourceLocation } from '../source.ts';

let api: DevtoolsSources | null | undefined;
/** Tests replace the DevTools API; the panel uses chrome.devtools. */
export function setSourcesApi(next: DevtoolsSources | null | undefined): void {
  api = next;
}

export function SourceLink({ handler, spec }: { handler: string; spec: SpecFile | null }) {
  const plugin = useLive((s) => s.sources[handler] ?? null);
  const source: SourceLocation | null = spec?.handlers[handler]?.source ?? plugin;
  const pageUrl = useLive((s) => s.session?.url ?? null);
  const [missing, setMissing] = useState(false);
  if (!source) return <span className="muted">—</span>;
  const label = `${sourcePath(source.file).split('/').pop()}:${source.line}`;
  const sources = api === undefined ? chromeSources() : api;
  if (!sources) return <span className="muted" title={`${source.file}:${source.line}`}>{label}</span>;
  return (
    <button
      type="button"
      className={`link${missing ? ' bad' : ''}`}
      data-source={`${source.file}:${source.line}`}
      title={missing ? 'DevTools does not know this file (no source map?)' : `Open ${sourcePath(source.file)}:${source.line} in Sources`}
      onClick={(e) => {
        e.stopPropagation();
        void openSource(source, pageUrl, sources).then((url) => setMissing(url === null));
      }}
    >
      {label}
    </button>
  );
}
