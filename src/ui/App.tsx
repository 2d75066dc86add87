// The playground page: one store and one engine controller per App, panels laid out on a grid.
import { useEffect, useState } from 'react';
import { createStore, initialState, StoreContext, useUi } from './store';
import { EngineContext } from './context';
import { EngineController } from './engine';
import { backendFromSearch } from './state';
import { spawnTrainClient } from '../worker/spawn';
import type { TrainClient } from '../worker/trainClient';
import { Header } from './header/Header';
import { ErrorBanner } from './ErrorBanner';
import { ModelPanel } from './model/ModelPanel';
import { TaskPanel } from './task/TaskPanel';
import { GraderPanel } from './grader/GraderPanel';
import { RunPanel } from './run/RunPanel';
import { RewardChart } from './charts/RewardChart';
import { Diagnostics } from './diagnostics/Diagnostics';
import { SamplesTable } from './explorer/SamplesTable';
import { Charts } from './charts/Charts';
import { ChartZoom } from './charts/zoom';
import { CakeSection } from './cake/CakeSection';
import { RunsPanel } from './runs/RunsPanel';
import { UpdateView } from './update/UpdateView';
import { LessonsPanel } from './lessons/LessonsPanel';

export interface AppProps {
  /** Query string to read `?backend=` from (default: the page's). */
  search?: string;
  /** Starts a train worker (default: a real Web Worker). */
  spawn?: () => TrainClient;
}

export function App({ search = location.search, spawn = spawnTrainClient }: AppProps) {
  const [store] = useState(() => createStore(initialState(backendFromSearch(search))));
  const [engine] = useState(() => new EngineController(store, spawn));
  useEffect(() => {
    void engine.initBackend(store.getState().backend.requested);
    return () => engine.dispose();
  }, [engine, store]);
  return (
    <StoreContext.Provider value={store}>
      <EngineContext.Provider value={engine}>
        <ThemeRoot />
        <Header />
        <ErrorBanner />
        <ChartZoom>
          <main className="layout">
            <div className="area-lessons">
              <LessonsPanel />
            </div>
            <div className="area-model">
              <ModelPanel />
            </div>
            <div className="area-task">
              <TaskPanel />
            </div>
            <div className="area-run">
              <RunPanel />
            </div>
            <div className="area-grader">
              <GraderPanel />
            </div>
            <div className="area-chart">
              <RewardChart />
            </div>
            <div className="area-diag">
              <Diagnostics />
            </div>
            <div className="area-charts">
              <Charts />
            </div>
            <div className="area-samples">
              <SamplesTable />
            </div>
            <div className="area-update">
              <UpdateView />
            </div>
            <div className="area-runs" style={{ gridColumn: 'span 12' }}>
              <RunsPanel />
            </div>
            <CakeSection />
          </main>
        </ChartZoom>
      </EngineContext.Provider>
    </StoreContext.Provider>
  );
}

/** Applies the chosen theme to <html data-theme> (absent = follow the system). */
function ThemeRoot() {
  const theme = useUi((s) => s.theme);
  useEffect(() => {
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [theme]);
  return null;
}
