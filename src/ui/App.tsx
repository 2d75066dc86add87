export function App() {
  return (
    <main>
      <h1>Cherry</h1>
      <p>Reinforcement fine-tuning in your browser.</p>
    </main>
  );
}
