// homeostat/react first: it must be in place before react-dom loads to observe commits.
import { HomeostatProvider } from 'homeostat/react';
import type { SpecFile } from 'homeostat';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import './styles.css';
// The demo's living docs: the DevTools panel shows its budgets and baselines next to what runs.
import docs from '../docs/homeostat.spec.json';

// Field export to an OpenTelemetry Collector, when the page is opened with ?otlp=<collector URL>
// (a real app would take it from its configuration): every session, 1 sequence in 4 as spans.
const params = new URLSearchParams(location.search);
const otlp = params.get('otlp');
const exportTo = otlp ? { endpoint: otlp, spanSampleRate: Number(params.get('spans') ?? 0.25), intervalMs: Number(params.get('interval') ?? 60_000) } : undefined;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <HomeostatProvider
      app="homeostat-demo"
      build={import.meta.env.VITE_HOMEOSTAT_BUILD ?? import.meta.env.MODE}
      spec={docs as SpecFile}
      {...(exportTo ? { export: exportTo } : {})}
    >
      <App />
    </HomeostatProvider>
  </StrictMode>,
);

