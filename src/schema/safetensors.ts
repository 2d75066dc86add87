// safetensors header parsing and writing: tfjs-free, shared with the page. It still lives in
// src/model/safetensors.ts while the model code around it is being reworked; modules outside src/model
// import it from here, so it can move here without touching them.
export * from '../model/safetensors';
