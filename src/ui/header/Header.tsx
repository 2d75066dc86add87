// The page header: logo, title, backend badge and switcher, theme toggle.
import { BackendBadge } from './BackendBadge';
import { ThemeToggle } from './ThemeToggle';

export function Header() {
  return (
    <header className="app-header">
      <div className="brand">
        <img src="/cherry.svg" alt="" width={32} height={32} />
        <div>
          <h1>Cherry</h1>
          <p className="tagline">Reinforcement fine-tuning in your browser</p>
        </div>
      </div>
      <div className="header-tools">
        <BackendBadge />
        <ThemeToggle />
      </div>
    </header>
  );
}
