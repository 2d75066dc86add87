// The memory plan of the run Start would begin, before it starts: parameters, weight bytes, what trains
// (all weights, or a LoRA adapter), optimizer state, KV cache, activations and the largest buffer,
// against this backend's limits (WebGPU maxBufferSize / maxStorageBufferBindingSize, wasm's 4 GiB).
// The worker computes it (src/model/memoryPlan.ts); it is asked again whenever the model, the settings,
// the task or the loaded adapter change. A plan that cannot fit says why and what to change, and
// RunControls disables Start. During and after a run, the peak the worker measured is shown beside it.
// Test hooks: data-testid memory-plan (data-fits), memory-plan-problems, memory-plan-peak.
import { useEffect } from 'react';
import { useUi } from '../store';
import { useEngine } from '../context';
import type { MemoryPlanInfo } from '../../worker/protocol';

/** `n` bytes as "12.3 MiB" (binary units, as the worker's messages). */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n,
    u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(u === 0 ? 0 : 1)} ${units[u]}`;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** The rows of the plan: label, value. */
function rows(p: MemoryPlanInfo): [string, string][] {
  const L = p.limits;
  const out: [string, string][] = [
    ['parameters', `${count(p.params)} (${formatBytes(p.weightBytes)} of float32 weights)`],
    [
      'trainable',
      p.lora
        ? `${count(p.trainableParams)} in the LoRA adapter (${((100 * p.trainableParams) / p.params).toFixed(2)}%)`
        : `${count(p.trainableParams)}: every weight (full fine-tuning)`,
    ],
    [
      'optimizer',
      `${formatBytes(p.optimizerBytes)} Adam moments + ${formatBytes(p.snapshotBytes)} last good weights + ${formatBytes(p.gradientBytes)} gradients`,
    ],
  ];
  if (p.referenceBytes > 0) out.push(['KL reference', `${formatBytes(p.referenceBytes)} frozen copy (beta > 0)`]);
  out.push(
    ['KV cache', `${formatBytes(p.kvCacheBytes)} (rows of ${p.maxLen} tokens)`],
    ['activations', `${formatBytes(p.activationBytes)} (${p.microBatchRows} rows per micro-batch)`],
    [
      'largest buffer',
      `${formatBytes(p.largestBuffer.bytes)}: ${p.largestBuffer.name} (limit ${formatBytes(L.maxBufferBytes)}${L.maxBindingBytes === null ? '' : `, binding ${formatBytes(L.maxBindingBytes)}`})`,
    ],
    ['estimated peak', `${formatBytes(p.totalBytes)} of ${formatBytes(L.memoryBytes)} (${L.name})`],
  );
  return out;
}

export function MemoryPlan() {
  const engine = useEngine();
  const plan = useUi((s) => s.plan);
  const peak = useUi((s) => s.run.memoryPeakBytes);
  const modelReady = useUi((s) => s.model.status === 'ready');
  const info = useUi((s) => s.model.info);
  const config = useUi((s) => s.run.config);
  const task = useUi((s) => s.task);
  const dataset = useUi((s) => s.dataset);
  const adapter = useUi((s) => s.adapter);
  const backend = useUi((s) => s.backend.choice);
  useEffect(() => {
    void engine.refreshPlan();
  }, [engine, modelReady, info, config, task, dataset, adapter, backend]);

  if (!modelReady || plan === null) return null;
  if ('error' in plan)
    return (
      <p className="hint" data-testid="memory-plan">
        Memory plan unavailable: {plan.error}
      </p>
    );
  const p = plan.info;
  const fits = p.problems.length === 0;
  return (
    <details
      className="memory-plan"
      data-testid="memory-plan"
      data-fits={fits}
      data-total={p.totalBytes}
      data-trainable={p.trainableParams}
      open={!fits}
    >
      <summary>
        Memory plan: {formatBytes(p.totalBytes)} of {formatBytes(p.limits.memoryBytes)} ({p.limits.name}){fits ? '' : ' — does not fit'}
        {peak === null ? null : (
          <span data-testid="memory-plan-peak" data-bytes={peak}>
            {' '}
            · measured peak {formatBytes(peak)}
          </span>
        )}
      </summary>
      <dl className="facts">
        {rows(p).map(([k, v]) => (
          <div key={k} style={{ display: 'contents' }}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
        {peak === null ? null : (
          <div style={{ display: 'contents' }}>
            <dt>measured peak</dt>
            <dd>{formatBytes(peak)} held by tfjs during a step of this run</dd>
          </div>
        )}
      </dl>
      {fits ? null : (
        <div role="alert" className="error-text" data-testid="memory-plan-problems">
          <p>This run cannot start: {p.problems.join('; ')}.</p>
          <p>What to change:</p>
          <ul>
            {p.advice.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        </div>
      )}
    </details>
  );
}
