// The lessons: a menu of the guided lessons (each with its last length here), the chosen lesson's text,
// a "Run lesson" button that sets the page up and runs it, its chart while it runs, and the verdict
// computed from its records. A link opens a lesson with `?lesson=cake` or `#lesson=cake`.
import { useCallback, useContext, useMemo, useState } from 'react';
import { LESSONS, getLesson, withSteps, type Lesson, type LessonRecords, type Verdict } from '../../lessons';
import { Panel } from '../Panel';
import { StoreContext, useUi } from '../store';
import { useEngine } from '../context';
import { lessonFromUrl } from '../state';
import { runLesson, type LessonProgress } from './runner';
import { LessonChart } from './LessonChart';
import { GradesView } from './GradesView';
import { formatSeconds, lessonTimes, saveLessonTime } from './times';
import './lessons.css';

/** The lesson and step override the page's link names, if it names a known one. */
function linkedLesson(): { lesson: Lesson | null; steps: number | null; error: string | null } {
  const link = lessonFromUrl(location.search, location.hash);
  if (link === null) return { lesson: null, steps: null, error: null };
  try {
    return { lesson: getLesson(link.name), steps: link.steps, error: null };
  } catch (e) {
    return { lesson: null, steps: null, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Puts `?lesson=<name>` in the address bar (no navigation). */
function writeLessonLink(name: string): void {
  const url = new URL(location.href);
  url.searchParams.set('lesson', name);
  window.history.replaceState(null, '', url.toString());
}

type Outcome = { verdict: Verdict; seconds: number } | { error: string } | null;

export function LessonsPanel() {
  const [linked] = useState(linkedLesson);
  const [chosen, setChosen] = useState<Lesson | null>(linked.lesson);
  const [times, setTimes] = useState(lessonTimes);
  const [progress, setProgress] = useState<LessonProgress | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [running, setRunning] = useState(false);
  const store = useContext(StoreContext);
  const engine = useEngine();
  const lesson = useMemo(
    () => (chosen === null ? null : withSteps(chosen, chosen === linked.lesson ? linked.steps : null)),
    [chosen, linked],
  );

  const run = useCallback(async () => {
    if (lesson === null || store === null) return;
    setRunning(true);
    setOutcome(null);
    const t0 = performance.now();
    try {
      const records = await runLesson(lesson, store, engine, (p) => setProgress({ phase: p.phase, records: { ...p.records } }));
      const seconds = (performance.now() - t0) / 1000;
      setOutcome({ verdict: lesson.verdict(records), seconds });
      saveLessonTime(lesson.name, seconds);
      setTimes(lessonTimes());
    } catch (e) {
      setOutcome({ error: e instanceof Error ? e.message : String(e) });
    } finally {
      setRunning(false);
    }
  }, [lesson, store, engine]);

  return (
    <Panel title="Lessons" hint="Guided demos: pick one, press Run lesson, and watch." className="lessons-panel">
      <nav data-testid="lessons" aria-label="Lessons">
        <ul className="lesson-menu">
          {LESSONS.map((l) => (
            <li key={l.name}>
              <button
                type="button"
                aria-pressed={chosen?.name === l.name}
                disabled={running}
                onClick={() => {
                  setChosen(l);
                  setProgress(null);
                  setOutcome(null);
                  writeLessonLink(l.name);
                }}
              >
                {l.title}
              </button>
              <span className="hint">
                {' '}
                {times[l.name] === undefined ? 'not run here yet' : `took ${formatSeconds(times[l.name])} here`}
              </span>
            </li>
          ))}
        </ul>
      </nav>
      {linked.error === null ? null : (
        <p className="error" role="alert">
          {linked.error}
        </p>
      )}
      {lesson === null ? null : (
        <LessonBody
          lesson={lesson}
          running={running}
          progress={progress}
          outcome={outcome}
          onRun={() => {
            void run();
          }}
        />
      )}
    </Panel>
  );
}

function LessonBody({
  lesson,
  running,
  progress,
  outcome,
  onRun,
}: {
  lesson: Lesson;
  running: boolean;
  progress: LessonProgress | null;
  outcome: Outcome;
  onRun: () => void;
}) {
  const live = useUi((s) => s.metrics);
  const step = useUi((s) => s.run.step);
  const records: LessonRecords = progress?.records ?? { train: {}, lastSamples: {}, grades: {} };
  const current = progress !== null && progress.phase < lesson.phases.length ? lesson.phases[progress.phase] : null;
  const phases = current?.kind === 'train' && running ? { ...records.train, [current.id]: live } : records.train;
  return (
    <article className="lesson" data-lesson={lesson.name}>
      <h3>{lesson.title}</h3>
      <div className="lesson-text">
        {lesson.text.map((t) => (
          <p key={t}>{t}</p>
        ))}
      </div>
      <div className="row">
        <button type="button" className="primary" data-testid="lesson-run" disabled={running} onClick={onRun}>
          Run lesson
        </button>
        <span className="hint" data-testid="lesson-progress" aria-live="polite">
          {progress === null
            ? ''
            : current === null
              ? 'done'
              : `Part ${progress.phase + 1} of ${lesson.phases.length}: ${current.label}` +
                (current.kind === 'train' ? ` — step ${step} of ${current.config.max_steps}` : '')}
        </span>
      </div>
      <LessonChart lesson={lesson} phases={phases} />
      {lesson.phases.flatMap((p) =>
        p.kind !== 'train' && records.grades[p.id] !== undefined
          ? [<GradesView key={p.id} title={p.label} grades={records.grades[p.id]} />]
          : [],
      )}
      {outcome === null ? null : 'error' in outcome ? (
        <p className="error" role="alert" data-testid="lesson-error">
          {outcome.error}
        </p>
      ) : (
        <div className="lesson-verdict" data-testid="lesson-verdict">
          <p>{outcome.verdict.text}</p>
          <dl>
            {outcome.verdict.figures.map((f) => (
              <div key={f.key} data-figure={f.key} data-value={f.value === null ? '' : String(f.value)}>
                <dt>{f.label}</dt>
                <dd>{f.value === null ? '—' : f.unit === 'fraction' ? `${(f.value * 100).toFixed(1)}%` : f.value.toFixed(3)}</dd>
              </div>
            ))}
          </dl>
          <p className="hint">Lesson took {formatSeconds(outcome.seconds)} on this machine.</p>
        </div>
      )}
    </article>
  );
}
