// Browser-test page for the charts, the completions explorer, diagnostics, the grader toolbar and the
// cake view, rendered with fixed, made-up runs (no worker, no model): the layout and the interactions
// are what is tested. ?theme=dark switches the theme; ?steps=N shows only the runs' first N steps.
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { createStore, initialState, StoreContext, type MetricPoint } from '../src/ui/store';
import { RewardChart } from '../src/ui/charts/RewardChart';
import { Charts } from '../src/ui/charts/Charts';
import { ChartZoom } from '../src/ui/charts/zoom';
import { SamplesTable } from '../src/ui/explorer/SamplesTable';
import { Diagnostics } from '../src/ui/diagnostics/Diagnostics';
import { CakeView } from '../src/ui/cake/CakeView';
import { GraderToolbar } from '../src/ui/grader/GraderToolbar';
import { GraderHelp } from '../src/ui/grader/GraderHelp';
import type { ChartRun } from '../src/ui/charts/series';
import type { ExplorerSample } from '../src/ui/explorer/select';
import type { Problem } from '../src/ui/grader/tryInputs';
import '../src/ui/styles.css';

const STEPS = 30;
// A smooth made-up RFT run: reward climbs from 0.3 to ~0.85, sub-graders, KL grows, entropy falls.
const rftPoints: MetricPoint[] = Array.from({ length: STEPS }, (_, step) => {
  const t = step / (STEPS - 1),
    mean = 0.3 + 0.55 * t;
  return {
    step,
    reward_mean: mean,
    reward_std: 0.3 - 0.15 * t,
    reward_min: 0,
    reward_max: 1,
    reward_per_grader: { format: Math.min(1, 0.6 + 0.6 * t), answer: mean - 0.05 },
    frac_groups_zero_std: 0.5 - 0.3 * t,
    frac_groups_any_success: 0.5 + 0.4 * t,
    kl: 0.002 + 0.03 * t * t,
    entropy: 1.2 - 0.7 * t,
    completion_length_mean: 6 + 2 * t,
    completion_length_max: 12,
    frac_truncated: 0.02,
    clip_ratio_low: 0.01 * t,
    clip_ratio_high: 0.02 * t,
    clip_ratio_region: 0.03 * t,
    policy_loss: 0.01 * Math.sin(step),
    tokens_per_s: 900 - 100 * t,
    sampling_ms: 400,
    grading_ms: 60 + 20 * t,
    training_ms: 700,
    ...(step % 10 === 0 || step === STEPS - 1
      ? { eval_reward_mean: 0.32 + 0.5 * t, eval_reward_by_class: { carry: 0.1 + 0.7 * t, other: 0.45 + 0.4 * t } }
      : {}),
  };
});
const sftPoints: MetricPoint[] = Array.from({ length: STEPS }, (_, step) => ({
  step,
  sft_loss: 2.5 * Math.exp(-step / 8) + 0.4,
  sampling_ms: 0,
  grading_ms: 0,
  training_ms: 650,
  ...(step % 5 === 0 || step === STEPS - 1
    ? { eval_reward_mean: Math.min(0.6, 0.1 + 0.5 * (1 - Math.exp(-step / 6))), eval_reward_by_class: { carry: 0.1 } }
    : {}),
}));
// ?steps=N keeps the first N steps of each run: a young run, as the page shows it after its first steps.
const keep = Number(new URLSearchParams(location.search).get('steps') ?? STEPS);
const rft: ChartRun = { id: 'rft', label: 'RFT', kind: 'rft', points: rftPoints.slice(0, keep) };
const sft: ChartRun = { id: 'sft', label: 'SFT', kind: 'sft', points: sftPoints.slice(0, keep) };

// Two steps of samples: the same prompts before (step 0) and after (step 29).
const prompts = ['17+25=', '48+36=', '9+14='];
const answers = ['42', '84', '23'];
const samples: ExplorerSample[] = [0, 29].flatMap((step) =>
  prompts.flatMap((prompt, group) =>
    Array.from({ length: 4 }, (_, i) => {
      const right = step === 29 ? i < 3 : i === 0 && group !== 1;
      const completion = right
        ? answers[group]
        : i === 3 && step === 0
          ? `${answers[group]} is the answer because`
          : String(Number(answers[group]) - 10);
      const reward = group === 2 && i === 2 && step === 0 ? null : right ? 1 : 0;
      return {
        step,
        group,
        prompt,
        completion,
        reward,
        advantage: reward === null ? 0 : right ? 0.75 : -0.25,
        error: reward === null ? 'grader error at line 3, column 9: TypeError: x is undefined' : null,
        error_kind: reward === null ? 'error' : null,
        length: completion.length + 1,
        truncated: completion.length > 20,
        trained: true,
        sub_rewards: { format: /^\d+$/.test(completion) ? 1 : 0, answer: right ? 1 : 0 },
        details: right ? undefined : { expected: answers[group], got: completion },
      };
    }),
  ),
);

// A run in trouble: no signal, truncation, errors climbing, validation flat while training rises.
const trouble: MetricPoint[] = Array.from({ length: 6 }, (_, step) => ({
  step,
  reward_mean: 0.05 + 0.08 * step,
  reward_std: 0.1,
  frac_groups_zero_std: 0.9,
  frac_truncated: 0.5,
  n_samples: 20,
  grader_errors: step,
  ...(step === 0 || step === 5 ? { eval_reward_mean: 0.1 } : {}),
}));

function Toolbar() {
  const [code, setCode] = useState('function grade(sample, item) {\n  return 1;\n}\n');
  const [help, setHelp] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  return (
    <section className="panel">
      <GraderToolbar code={code} onCode={setCode} helpOpen={help} onHelp={setHelp} onProblem={setProblem} validate={null} />
      {help ? <GraderHelp onClose={() => setHelp(false)} /> : null}
      <pre data-testid="toolbar-code">{code}</pre>
      <p data-testid="toolbar-problem">{problem === null ? '' : `${problem.line}:${problem.column}`}</p>
    </section>
  );
}

/** ?grow=MS: the runs gain one step every MS milliseconds from one step on, as during training. */
function Growing({ every }: { every: number }) {
  const [n, setN] = useState(1);
  useEffect(() => {
    const t = setInterval(() => setN((k) => (k >= STEPS ? k : k + 1)), every);
    return () => clearInterval(t);
  }, [every]);
  const runs: ChartRun[] = [
    { ...rft, points: rftPoints.slice(0, n) },
    { ...sft, points: sftPoints.slice(0, n) },
  ];
  return (
    <>
      <div className="area-chart">
        <RewardChart runs={runs} />
      </div>
      <div className="area-charts">
        <Charts runs={runs} />
      </div>
      <div className="area-cake">
        <CakeView sft={runs[1]} rft={runs[0]} labelAccuracy={0.55} />
      </div>
      <p data-testid="grown">{n}</p>
    </>
  );
}
const grow = new URLSearchParams(location.search).get('grow');

const store = createStore(initialState('wasm'));
if (new URLSearchParams(location.search).get('theme') === 'dark') document.documentElement.dataset.theme = 'dark';
const root = document.getElementById('root');
if (root === null) throw new Error('charts.html has no #root');
createRoot(root).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <ChartZoom>
        <main className="layout">
          {grow !== null ? (
            <Growing every={Number(grow)} />
          ) : (
            <>
              <div className="area-chart">
                <RewardChart runs={[rft, sft]} />
              </div>
              <div className="area-diag">
                <Diagnostics metrics={trouble} />
              </div>
              <div className="area-charts">
                <Charts runs={[rft, sft]} />
              </div>
              <div className="area-samples">
                <SamplesTable samples={samples} />
              </div>
              <div className="area-cake">
                <CakeView sft={sft} rft={rft} labelAccuracy={0.55} />
              </div>
              <div className="area-grader">
                <Toolbar />
              </div>
            </>
          )}
        </main>
      </ChartZoom>
    </StoreContext.Provider>
  </StrictMode>,
);
