// Where a model comes from: `hf:ORG/NAME[@REVISION]`, a Hub model page URL, or any http(s) base URL that
// serves the files. Pure (no fetch, no DOM, no Node): the CLI, the worker and the page share it.
// URL layout and encoding follow huggingface_hub's `hf_hub_url`:
//   {endpoint}/{repo_id}/resolve/{quote(revision, safe="")}/{quote(filename)}

/** The Hub that `hf:` ids resolve against unless HF_ENDPOINT (Node) or the page setting says otherwise. */
export const DEFAULT_ENDPOINT = 'https://huggingface.co';

/** A model on a Hugging Face Hub (or a server with the same `resolve` layout). */
export interface HubSource {
  kind: 'hub';
  /** Origin (and optional path prefix) of the Hub, without a trailing slash, e.g. https://huggingface.co. */
  endpoint: string;
  /** Repository id, `ORG/NAME`. */
  repo: string;
  /** Branch, tag or commit as given (default `main`); not yet resolved to a commit. */
  revision: string;
}

/** A plain base URL: `{baseUrl}/{file}` serves each file (e.g. a static folder, or …/resolve/main of a mirror). */
export interface UrlSource {
  kind: 'url';
  /** The base URL without a trailing slash. */
  baseUrl: string;
}

export type ModelSource = HubSource | UrlSource;

/** A source string that is none of the accepted forms; the message lists them. */
export class ModelSourceError extends Error {
  override name = 'ModelSourceError';
  constructor(
    readonly input: string,
    problem: string,
  ) {
    super(
      `model source '${input}': ${problem}. Accepted: hf:ORG/NAME[@REVISION] (e.g. hf:HuggingFaceTB/SmolLM2-135M-Instruct), ` +
        'a Hub model page URL (https://huggingface.co/ORG/NAME, …/tree/REVISION, …/blob/REVISION/FILE), ' +
        'or an http(s):// base URL that serves config.json, tokenizer.json and model.safetensors (e.g. …/resolve/main)',
    );
  }
}

// huggingface_hub's repo-id rule: letters, digits, '-', '_', '.'; no leading '-' or '.'; at most 96 characters.
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,95}$/;
const PAGE_KINDS = new Set(['tree', 'blob', 'resolve']);

/** True for the strings parseModelSource handles (the CLI treats anything else as a local folder). */
export function isRemoteSource(text: string): boolean {
  return /^(hf:|https?:\/\/)/i.test(text.trim());
}

function checkName(input: string, part: string, what: string): void {
  if (!NAME.test(part) || part.includes('..') || part.includes('--')) {
    throw new ModelSourceError(input, `${what} '${part}' is not a valid Hub name (letters, digits, '-', '_', '.'; at most 96)`);
  }
}

function trimSlash(s: string): string {
  return s.replace(/\/+$/, '');
}

/**
 * Parses a model source. `endpoint` is the Hub that `hf:` ids resolve against (HF_ENDPOINT in Node, the
 * "Hub endpoint" setting in the page); URLs under it, or on any host in the Hub's page layout
 * (`/ORG/NAME/tree|blob|resolve/REV`), become Hub sources so they are cached by commit.
 */
export function parseModelSource(text: string, endpoint: string = DEFAULT_ENDPOINT): ModelSource {
  const input = text.trim();
  const ep = trimSlash(endpoint);
  const hf = /^hf:(.*)$/i.exec(input);
  if (hf) {
    const body = hf[1];
    const at = body.indexOf('@');
    const id = at < 0 ? body : body.slice(0, at);
    const revision = at < 0 ? 'main' : body.slice(at + 1);
    const parts = id.split('/');
    if (parts.length !== 2) throw new ModelSourceError(input, `'${id}' must be ORG/NAME (one slash)`);
    checkName(input, parts[0], 'organisation');
    checkName(input, parts[1], 'model name');
    if (revision === '' || /\s/.test(revision))
      throw new ModelSourceError(input, 'the revision after @ must be a non-empty branch, tag or commit without spaces');
    return { kind: 'hub', endpoint: ep, repo: id, revision };
  }
  if (!/^https?:\/\//i.test(input)) throw new ModelSourceError(input, 'not an hf: id or an http(s) URL');
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new ModelSourceError(input, 'not a valid URL');
  }
  url.search = '';
  url.hash = '';
  const href = trimSlash(url.href);
  // Under the configured endpoint (which may carry a path prefix) or in the Hub's page layout on any host.
  const underEndpoint = href.toLowerCase().startsWith(ep.toLowerCase() + '/');
  const base = underEndpoint ? ep : url.origin;
  let rest: string[];
  try {
    rest = href
      .slice(base.length + 1)
      .split('/')
      .map((s) => decodeURIComponent(s));
  } catch {
    throw new ModelSourceError(input, 'the URL path has a malformed %-escape');
  }
  const isHubHost = underEndpoint || url.hostname === 'huggingface.co' || url.hostname === 'hf.co';
  if (isHubHost && (rest[0] === 'datasets' || rest[0] === 'spaces')) {
    throw new ModelSourceError(input, `this is a Hub ${rest[0] === 'datasets' ? 'dataset' : 'space'}, not a model`);
  }
  const pageLayout = rest.length >= 4 && PAGE_KINDS.has(rest[2]);
  if ((isHubHost && rest.length === 2) || pageLayout) {
    checkName(input, rest[0], 'organisation');
    checkName(input, rest[1], 'model name');
    if (pageLayout && rest[3] === '') throw new ModelSourceError(input, `the revision after /${rest[2]}/ is empty`);
    return { kind: 'hub', endpoint: base, repo: `${rest[0]}/${rest[1]}`, revision: pageLayout ? rest[3] : 'main' };
  }
  if (isHubHost)
    throw new ModelSourceError(input, 'a Hub URL must be a model page: /ORG/NAME, optionally /tree/REVISION or /blob/REVISION/FILE');
  return { kind: 'url', baseUrl: href };
}

/** The URL of `file` in `source`, at `revision` (Hub sources; default: the source's own revision). */
export function fileUrl(source: ModelSource, file: string, revision?: string): string {
  const path = file.split('/').map(encodeURIComponent).join('/'); // quote(filename): '/' stays
  if (source.kind === 'url') return `${source.baseUrl}/${path}`;
  return `${source.endpoint}/${source.repo}/resolve/${encodeURIComponent(revision ?? source.revision)}/${path}`;
}

/** The canonical text of a source, as shown to people and stored in cache manifests; parseModelSource reads it back. */
export function sourceText(source: ModelSource): string {
  if (source.kind === 'url') return source.baseUrl;
  const main = source.revision === 'main';
  if (source.endpoint === DEFAULT_ENDPOINT) return `hf:${source.repo}${main ? '' : `@${source.revision}`}`;
  return `${source.endpoint}/${source.repo}${main ? '' : `/tree/${encodeURIComponent(source.revision)}`}`; // parses back to the same source
}

/** Makes one path-safe segment: keeps letters, digits, '.', '_', '-'; everything else becomes '_'. */
export function safeSegment(s: string): string {
  const out = s.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return out.length > 0 ? out.slice(0, 120) : '_';
}

/**
 * The cache key of a source's repository: one path-safe string, e.g. `huggingface.co--ORG--NAME` or
 * `url--127.0.0.1_8080--models--tiny`. Revisions and commits are not part of it.
 */
export function repoKey(source: ModelSource): string {
  if (source.kind === 'hub') {
    const host = safeSegment(source.endpoint.replace(/^https?:\/\//, ''));
    return [host, ...source.repo.split('/')].join('--');
  }
  const u = new URL(source.baseUrl);
  return [
    'url',
    safeSegment(u.host),
    ...u.pathname
      .split('/')
      .filter((s) => s !== '')
      .map((s) => safeSegment(decodeURIComponent(s))),
  ].join('--');
}

/** The revision name cached sources are recorded under (`main`, a tag, …; `url` for plain base URLs). */
export function refName(source: ModelSource): string {
  return source.kind === 'hub' ? source.revision : 'url';
}
