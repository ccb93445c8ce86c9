import { createRoot } from 'react-dom/client';
import { Main } from './Main.tsx';
import './styles.css';

createRoot(document.getElementById('main')!).render(<Main />);
