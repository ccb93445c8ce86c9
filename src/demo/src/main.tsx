// homeostat/react first: it must be in place before react-dom loads to observe commits.
import { HomeostatProvider } from 'homeostat/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <HomeostatProvider app="homeostat-demo" build={import.meta.env.VITE_HOMEOSTAT_BUILD ?? import.meta.env.MODE}>
      <App />
    </HomeostatProvider>
  </StrictMode>,
);

