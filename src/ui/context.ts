// The engine controller for the current page, available to every component below <App>.
import { createContext, useContext } from 'react';
import type { EngineController } from './engine';

export const EngineContext = createContext<EngineController | null>(null);

export function useEngine(): EngineController {
  const engine = useContext(EngineContext);
  if (engine === null) throw new Error('A Cherry component was rendered outside <EngineContext.Provider>; render it inside <App>.');
  return engine;
}
