// tfjs's cpu backend prints a banner ("Hi, looks like you are running TensorFlow.js in Node.js ... install
// our node backend") on its first tensor in every test file that uses it: advice we cannot take here
// (tfjs-node downloads a native binary at install time). Only that banner is dropped; every other warning
// still prints. (tfjs's own switches for it, IS_TEST and PROD, also change what tfjs checks.)
const BANNER = 'looks like you are running TensorFlow.js in Node.js';
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]): void => {
  if (typeof args[0] === 'string' && args[0].includes(BANNER)) return;
  warn(...args);
};
