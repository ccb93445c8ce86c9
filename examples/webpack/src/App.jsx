import { useState } from 'react';

export function App() {
  const [todos, setTodos] = useState([]);
  const [text, setText] = useState('');

  function addTodo(event) {
    event.preventDefault();
    if (!text) return;
    setTodos((list) => [...list, text]);
    setText('');
  }

  return (
    <form onSubmit={addTodo}>
      <input aria-label="New todo" value={text} onChange={(e) => setText(e.target.value)} />
      <button type="submit">Add</button>
      <output>{todos.length}</output>
      <ul>
        {todos.map((t, i) => (
          <li key={i}>{t}</li>
        ))}
      </ul>
    </form>
  );
}
