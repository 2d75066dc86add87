// Browser-test page for the grader sandbox: exposes the sandbox API to page.evaluate.
import { createJsGrader, createPythonGrader } from '../src/graders/sandbox';
import { makeSample } from '../src/graders/types';
import { chaosSource } from '../test/graders/sandbox/chaos';

const api = { createJsGrader, createPythonGrader, makeSample, chaosSource };
export type GradersPageApi = typeof api;

declare global {
  interface Window { cherryGraders?: GradersPageApi }
}
window.cherryGraders = api;
document.body.dataset.ready = 'true';
