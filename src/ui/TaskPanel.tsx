// Task panel: the built-in tasks with their explanations, and a JSONL upload with per-line errors.
import { Panel } from './Panel';
import { useDispatch, useUi } from './store';
import { TASK_OPTIONS } from './taskOptions';
import { DatasetUpload } from './DatasetUpload';

export function TaskPanel() {
  const task = useUi((s) => s.task);
  const dispatch = useDispatch();
  const current = TASK_OPTIONS.find((t) => t.name === task);
  return (
    <Panel title="Task" hint="Prompts with reference answers; the grader compares the model's output to them.">
      <select data-testid="task-select" aria-label="Task" value={task}
        onChange={(e) => dispatch({ type: 'task/select', task: e.target.value })}>
        {TASK_OPTIONS.map((t) => <option key={t.name} value={t.name}>{t.name}</option>)}
      </select>
      {current ? <p className="explanation">{current.explanation}</p> : null}
      <DatasetUpload />
    </Panel>
  );
}
