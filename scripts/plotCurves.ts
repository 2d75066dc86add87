// Draws reward curves of several `cherry train --out DIR` runs as one SVG (issue 5's picture): left,
// the training reward per step (a trailing moving average); right, the greedy validation reward the
// trainer measures every eval_interval steps. The SFT label accuracy of the same prompts is a dashed
// horizontal line on each panel (arithmetic only: what plain imitation of the labels would reach).
// Plain TypeScript writing SVG: no plotting library.
//
//   npx tsx scripts/plotCurves.ts [--out docs/reward-curves.svg] [--smooth 10] [--eval-n 64]
//       [--title "..."] grpo=/tmp/runs/grpo dr_grpo=/tmp/runs/dr_grpo rloo=/tmp/runs/rloo sft=/tmp/runs/sft
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { arithmetic, arithmeticLabelAccuracy } from '../src/tasks';

/** One run's curves, read from its metrics.jsonl. */
export interface RunCurves {
  /** Legend label (the name before '=' on the command line). */
  label: string;
  /** [step (1-based), mean train reward]; empty for SFT, which samples nothing. */
  train: [number, number][];
  /** [step (1-based), greedy validation reward]. */
  validation: [number, number][];
}

/** Reads the per-step JSON lines that `cherry train --out DIR` writes to DIR/metrics.jsonl. */
export function readRun(label: string, dir: string): RunCurves {
  const train: [number, number][] = [];
  const validation: [number, number][] = [];
  const text = readFileSync(join(dir, 'metrics.jsonl'), 'utf8');
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch {
      throw new Error(`${dir}/metrics.jsonl line ${i + 1} is not JSON; rerun \`cherry train --out ${dir}\``);
    }
    if (typeof rec !== 'object' || rec === null || !('step' in rec) || typeof rec.step !== 'number') return;
    const step = rec.step + 1;
    if ('reward_mean' in rec && typeof rec.reward_mean === 'number') train.push([step, rec.reward_mean]);
    if ('eval_reward_mean' in rec && typeof rec.eval_reward_mean === 'number') validation.push([step, rec.eval_reward_mean]);
  });
  return { label, train, validation };
}

/** Trailing moving average over the last `window` points (fewer at the start). */
export function movingAverage(points: readonly [number, number][], window: number): [number, number][] {
  return points.map(([x], i) => {
    const from = Math.max(0, i - window + 1);
    let s = 0;
    for (let j = from; j <= i; j++) s += points[j][1];
    return [x, s / (i - from + 1)];
  });
}

const COLORS = ['#d62728', '#1f77b4', '#2ca02c', '#7f7f7f', '#9467bd', '#ff7f0e'];

interface Panel {
  title: string;
  x0: number;
  y0: number;
  w: number;
  h: number;
  maxStep: number;
  yMin: number;
  yMax: number;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function axes(p: Panel): string[] {
  const out: string[] = [];
  const sx = (x: number) => p.x0 + (x / p.maxStep) * p.w;
  const sy = (y: number) => p.y0 + p.h - ((y - p.yMin) / (p.yMax - p.yMin)) * p.h;
  out.push(`<rect x="${p.x0}" y="${p.y0}" width="${p.w}" height="${p.h}" fill="none" stroke="#444"/>`);
  for (let y = p.yMin; y <= p.yMax + 1e-9; y += 0.1) {
    const yy = sy(y).toFixed(1);
    out.push(`<line x1="${p.x0}" y1="${yy}" x2="${p.x0 + p.w}" y2="${yy}" stroke="#eee"/>`);
    out.push(`<text x="${p.x0 - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle" font-size="11">${y.toFixed(1)}</text>`);
  }
  const tick = p.maxStep <= 60 ? 10 : Math.ceil(p.maxStep / 60) * 10;
  for (let x = 0; x <= p.maxStep; x += tick) {
    const xx = sx(x).toFixed(1);
    out.push(`<line x1="${xx}" y1="${p.y0 + p.h}" x2="${xx}" y2="${p.y0 + p.h + 4}" stroke="#444"/>`);
    out.push(`<text x="${xx}" y="${p.y0 + p.h + 16}" text-anchor="middle" font-size="11">${x}</text>`);
  }
  out.push(`<text x="${p.x0 + p.w / 2}" y="${p.y0 - 8}" text-anchor="middle" font-size="13" font-weight="bold">${esc(p.title)}</text>`);
  out.push(`<text x="${p.x0 + p.w / 2}" y="${p.y0 + p.h + 32}" text-anchor="middle" font-size="11">step</text>`);
  return out;
}

function polyline(p: Panel, pts: readonly [number, number][], color: string, dots: boolean): string[] {
  if (pts.length === 0) return [];
  const sx = (x: number) => p.x0 + (x / p.maxStep) * p.w;
  const sy = (y: number) => p.y0 + p.h - ((Math.min(p.yMax, Math.max(p.yMin, y)) - p.yMin) / (p.yMax - p.yMin)) * p.h;
  const d = pts.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
  const out = [`<polyline points="${d}" fill="none" stroke="${color}" stroke-width="2"/>`];
  if (dots) for (const [x, y] of pts) out.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="3" fill="${color}"/>`);
  return out;
}

function hline(p: Panel, y: number, label: string): string[] {
  const yy = (p.y0 + p.h - ((y - p.yMin) / (p.yMax - p.yMin)) * p.h).toFixed(1);
  return [
    `<line x1="${p.x0}" y1="${yy}" x2="${p.x0 + p.w}" y2="${yy}" stroke="#000" stroke-dasharray="6 4"/>`,
    `<text x="${p.x0 + 6}" y="${Number(yy) - 5}" font-size="11">${esc(label)}</text>`,
  ];
}

/** The whole picture. `trainLine`/`valLine` are the SFT label accuracies drawn as dashed lines (null: none). */
export function renderSvg(
  runs: readonly RunCurves[],
  opts: { smooth: number; title: string; trainLine: number | null; valLine: number | null },
): string {
  const maxStep = Math.max(10, ...runs.flatMap((r) => [...r.train, ...r.validation].map(([x]) => x)));
  const all = runs.flatMap((r) => [...movingAverage(r.train, opts.smooth), ...r.validation].map(([, y]) => y));
  for (const l of [opts.trainLine, opts.valLine]) if (l !== null) all.push(l);
  const yMin = Math.max(0, Math.floor((Math.min(...all) - 0.05) * 10) / 10);
  const yMax = Math.min(1, Math.ceil((Math.max(...all) + 0.05) * 10) / 10);
  const W = 900,
    H = 440,
    w = 360,
    h = 300;
  const left: Panel = { title: `train reward (moving average of ${opts.smooth} steps)`, x0: 60, y0: 60, w, h, maxStep, yMin, yMax };
  const right: Panel = { title: 'validation reward (greedy)', x0: 500, y0: 60, w, h, maxStep, yMin, yMax };
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="24" text-anchor="middle" font-size="15">${esc(opts.title)}</text>`,
  ];
  out.push(...axes(left), ...axes(right));
  if (opts.trainLine !== null) out.push(...hline(left, opts.trainLine, `SFT label accuracy ${opts.trainLine.toFixed(3)}`));
  if (opts.valLine !== null) out.push(...hline(right, opts.valLine, `SFT label accuracy ${opts.valLine.toFixed(3)}`));
  runs.forEach((r, i) => {
    const c = COLORS[i % COLORS.length];
    out.push(...polyline(left, movingAverage(r.train, opts.smooth), c, false), ...polyline(right, r.validation, c, true));
    const lx = 60 + i * 130;
    out.push(
      `<line x1="${lx}" y1="${H - 22}" x2="${lx + 24}" y2="${H - 22}" stroke="${c}" stroke-width="3"/>`,
      `<text x="${lx + 30}" y="${H - 18}" font-size="12">${esc(r.label)}${r.train.length === 0 ? ' (no rollouts)' : ''}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function main(argv: string[]): void {
  let out = 'docs/reward-curves.svg',
    smooth = 10,
    evalN = 64,
    title = 'arithmetic (cherry-arith), seed 1';
  const runs: RunCurves[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') out = argv[++i];
    else if (a === '--smooth') smooth = Number(argv[++i]);
    else if (a === '--eval-n') evalN = Number(argv[++i]);
    else if (a === '--title') title = argv[++i];
    else if (a.includes('=')) {
      const k = a.indexOf('=');
      runs.push(readRun(a.slice(0, k), a.slice(k + 1)));
    } else throw new Error(`plotCurves: unexpected argument '${a}'; expected --out FILE, --smooth N, --eval-n N, --title T or label=DIR`);
  }
  if (runs.length === 0) throw new Error('plotCurves: give at least one label=DIR (a `cherry train --out DIR` folder)');
  if (!(smooth >= 1 && Number.isInteger(smooth))) throw new Error(`plotCurves: --smooth must be a positive integer, got ${smooth}`);
  // The trainer's validation uses the first eval-n validation items; training draws from the train split.
  const trainLine = arithmeticLabelAccuracy(arithmetic.items('train', 4096)).overall;
  const valLine = arithmeticLabelAccuracy(arithmetic.items('validation', evalN)).overall;
  writeFileSync(out, renderSvg(runs, { smooth, title, trainLine, valLine }));
  console.log(
    `wrote ${out} (${runs.map((r) => r.label).join(', ')}; label accuracy train ${trainLine.toFixed(3)}, validation ${valLine.toFixed(3)})`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) main(process.argv.slice(2));
