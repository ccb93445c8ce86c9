// homeostat/react first: it must be in place before react-dom loads to observe commits.
import { HomeostatProvider } from 'homeostat/react';
import type { SpecFile } from 'homeostat';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import './styles.css';
// The demo's living docs: the DevTools panel shows its budgets and baselines next to what runs.
import docs from '../docs/homeostat.spec.json';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <HomeostatProvider app="homeostat-demo" build={import.meta.env.VITE_HOMEOSTAT_BUILD ?? import.meta.env.MODE} spec={docs as SpecFile}>
      <App />
    </HomeostatProvider>
  </StrictMode>,
);

