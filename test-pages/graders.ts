// Browser-test page for the grader sandbox: exposes the sandbox API to page.evaluate. The same module can
// be imported inside a Web Worker (globalThis instead of window), which lets a test start graders from a
// worker, as the train worker does.
import { createJsGrader, createPythonGrader } from '../src/graders/sandbox';
import { makeSample } from '../src/graders/types';
import { chaosSource } from '../test/graders/sandbox/chaos';

const api = { createJsGrader, createPythonGrader, makeSample, chaosSource, moduleUrl: import.meta.url };
export type GradersPageApi = typeof api;

declare global {
  var cherryGraders: GradersPageApi | undefined;
}
globalThis.cherryGraders = api;
if (typeof window !== 'undefined') document.body.dataset.ready = 'true';
