// Cycles the colour theme: follow the system, light, dark.
import { useDispatch, useUi, type Theme } from '../store';

const NEXT: Record<Theme, Theme> = { system: 'light', light: 'dark', dark: 'system' };
const ICON: Record<Theme, string> = { system: '◐', light: '☀', dark: '☾' };

export function ThemeToggle() {
  const theme = useUi((s) => s.theme);
  const dispatch = useDispatch();
  return (
    <button
      type="button"
      className="icon-button"
      data-testid="theme-toggle"
      title={`Theme: ${theme} (click to change)`}
      aria-label={`Theme: ${theme}`}
      onClick={() => dispatch({ type: 'theme/set', theme: NEXT[theme] })}
    >
      {ICON[theme]}
    </button>
  );
}
