/** Pause / resume recording, clear, export the session as JSON, import a session file, Performance-panel tracks on / off. */
import { useMutation } from '@tanstack/react-query';
import { useRef, useState, type RefObject } from 'react';
import { parseSpecFile } from '../../../src/core/spec.ts';
import { usePanelContext, useLive } from '../context.tsx';

export function SessionControls() {
  const { bridge, store } = usePanelContext();
  const paused = useLive((s) => s.paused);
  const tracks = useLive((s) => s.tracks);
  const session = useLive((s) => s.session);
  const present = useLive((s) => s.page === 'present');
  const file = useRef<HTMLInputElement>(null);
  const docsFile = useRef<HTMLInputElement>(null);
  const docs = useLive((s) => s.docs);
  const [note, setNote] = useState('');

  const run = useMutation({
    mutationFn: async (op: 'pause' | 'resume' | 'clear' | 'export' | 'tracks-on' | 'tracks-off' | { json: string; name: string }) => {
      if (typeof op === 'object') {
        const r = await bridge.request({ op: 'import', json: op.json });
        return r.op === 'import' ? `Imported ${op.name}: ${r.calls} calls as session ${r.id}` : '';
      }
      const r = await bridge.request({ op });
      if (op === 'clear') store.getState().clearData();
      if (r.op === 'export') {
        download(`homeostat-session-${session?.id ?? 'live'}.json`, r.json);
        return `Exported ${(r.json.length / 1024).toFixed(0)} KB`;
      }
      if (op === 'tracks-on' || op === 'tracks-off') {
        store.getState().setTracks(op === 'tracks-on');
        return op === 'tracks-on' ? 'Drawing calls in the Performance panel (record a trace there)' : 'Performance tracks off';
      }
      return op === 'pause' ? 'Recording paused' : op === 'resume' ? 'Recording resumed' : 'Cleared';
    },
    onSuccess: (msg) => setNote(msg),
    onError: (e) => setNote(`Failed: ${e instanceof Error ? e.message : String(e)}`),
  });

  return (
    <div className="controls" role="toolbar" aria-label="Session controls">
      <button type="button" disabled={!present || run.isPending} onClick={() => run.mutate(paused ? 'resume' : 'pause')}>
        {paused ? 'Resume' : 'Pause'}
      </button>
      <button type="button" disabled={!present || run.isPending} onClick={() => run.mutate('clear')}>
        Clear
      </button>
      <button type="button" disabled={!present || run.isPending} onClick={() => run.mutate('export')}>
        Export JSON
      </button>
      <button
        type="button"
        aria-pressed={tracks}
        disabled={!present || run.isPending}
        title="Draw handler calls, the React work they caused and interactions as a Homeostat track group in the Performance panel (costs the page ~5 µs per entry while on)"
        onClick={() => run.mutate(tracks ? 'tracks-off' : 'tracks-on')}
      >
        {tracks ? 'Tracks on' : 'Tracks off'}
      </button>
      <button type="button" disabled={!present || run.isPending} onClick={() => file.current?.click()}>
        Import…
      </button>
      <JsonFileInput inputRef={file} label="Import session file" onFile={(json, name) => run.mutate({ json, name })} />
      <button type="button" title="Load a spec file (homeostat docs) to compare against" onClick={() => (docs ? store.getState().setDocs(null) : docsFile.current?.click())}>
        {docs ? `Unload docs (${docs.name})` : 'Load docs…'}
      </button>
      <JsonFileInput
        inputRef={docsFile}
        label="Load docs file"
        onFile={(text, name) => {
          try {
            // Validated like every spec reader does; a bad file is named, never half-loaded.
            store.getState().setDocs({ spec: parseSpecFile(text, name), name });
            setNote(`Docs loaded from ${name}`);
          } catch (err) {
            setNote(`Not a spec file: ${err instanceof Error ? err.message : String(err)}`);
          }
        }}
      />
      {paused && <span className="badge drifting">paused</span>}
      <span className="muted" role="status">
        {run.isPending ? 'Working…' : note}
      </span>
    </div>
  );
}

/** A hidden JSON file picker (a button clicks it): hands over the chosen file's text, then resets so the same file can be picked again. */
function JsonFileInput({ inputRef, label, onFile }: { inputRef: RefObject<HTMLInputElement | null>; label: string; onFile: (text: string, name: string) => void }) {
  return (
    <input
      ref={inputRef}
      type="file"
      accept="application/json,.json"
      aria-label={label}
      hidden
      onChange={async (e) => {
        const f = e.target.files?.[0];
        e.target.value = '';
        if (f) onFile(await f.text(), f.name);
      }}
    />
  );
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
