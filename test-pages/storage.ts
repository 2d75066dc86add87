// Browser-test page for src/storage: exposes the store and a raw-IndexedDB helper to page.evaluate,
// so tests run against Chromium's real IndexedDB (no fake).
import { deleteDB } from 'idb';
import { CherryStore, DB_VERSION, StorageWriteError, StorageQuotaError, RunNotFoundError, recordRun } from '../src/storage';
import { DEFAULT_CONFIG } from '../src/rl/config';

/** Opens `name` at `version` with raw indexedDB, runs `setup` in its upgrade, then closes it. */
function rawCreate(name: string, version: number, setup: (db: IDBDatabase) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name, version);
    req.onupgradeneeded = () => setup(req.result);
    req.onsuccess = () => { req.result.close(); resolve(); };
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error(`open of ${name} blocked`));
  });
}

/** Writes `value` into `store` of database `name` at its current version with raw indexedDB. */
function rawPut(name: string, store: string, value: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name);
    req.onsuccess = () => {
      const db = req.result;
      const tx = db.transaction(store, 'readwrite');
      tx.objectStore(store).put(value);
      tx.oncomplete = () => { db.close(); resolve(); };
      tx.onerror = () => { db.close(); reject(tx.error); };
    };
    req.onerror = () => reject(req.error);
  });
}

/** Counts the records of `store` whose key starts with runId (compound keys) or equals it. */
function rawCount(name: string, store: string, runId: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name);
    req.onsuccess = () => {
      const db = req.result;
      const r = db.transaction(store).objectStore(store).getAllKeys();
      r.onsuccess = () => {
        db.close();
        resolve(r.result.filter((k) => (Array.isArray(k) ? k[0] === runId : k === runId)).length);
      };
      r.onerror = () => { db.close(); reject(r.error); };
    };
    req.onerror = () => reject(req.error);
  });
}

const api = { CherryStore, recordRun, DB_VERSION, DEFAULT_CONFIG, StorageWriteError, StorageQuotaError, RunNotFoundError, deleteDB, rawCreate, rawPut, rawCount };
export type StoragePageApi = typeof api;

declare global {
  interface Window { cherryStorage?: StoragePageApi }
}
window.cherryStorage = api;
document.body.dataset.ready = 'true';
