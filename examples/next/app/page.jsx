import { Counter } from './counter.jsx';

export default function Page() {
  return (
    <main>
      <h1>Homeostat + Next.js</h1>
      <Counter />
    </main>
  );
}
