// Task panel: the built-in tasks with their explanations, and a JSONL upload with per-line errors.
// Picking a task also picks its built-in model (the Model panel loads it).
import { Panel } from '../Panel';
import { useDispatch, useUi } from '../store';
import { taskOption, visibleTaskOptions } from './taskOptions';
import { DatasetUpload } from './DatasetUpload';

export function TaskPanel() {
  const task = useUi((s) => s.task);
  const busy = useUi((s) => s.run.state === 'running');
  const dispatch = useDispatch();
  const current = taskOption(task);
  const chatTemplate = useUi((s) => s.model.info?.chatTemplate === true);
  const dataset = useUi((s) => (s.dataset !== null && 'data' in s.dataset ? s.dataset.file : null));
  return (
    <Panel title="Task" hint="Prompts with reference answers; the grader compares the model's output to them.">
      <select
        data-testid="task-select"
        aria-label="Task"
        value={task}
        disabled={busy}
        title={busy ? 'Pause or stop the run to change the task' : undefined}
        onChange={(e) => dispatch({ type: 'task/select', task: e.target.value })}
      >
        {visibleTaskOptions(chatTemplate, task).map((t) => (
          <option key={t.name} value={t.name}>
            {t.title}
          </option>
        ))}
      </select>
      {dataset !== null ? (
        <p className="hint" data-testid="task-source">
          Runs train on your dataset <code>{dataset}</code>; pick a task above to train on it instead.
        </p>
      ) : null}
      {current ? (
        <p className="explanation" data-testid="task-explanation">
          {current.explanation}
        </p>
      ) : null}
      {current ? (
        <p className="hint">
          Model: <code>{current.model}</code> · up to {current.maxNewTokens} tokens per answer
        </p>
      ) : null}
      <DatasetUpload />
    </Panel>
  );
}
