// The Python side of a Pyodide grader, shared by the Node and browser hosts. It speaks the same message
// protocol as the JavaScript runtime (runtime.ts): `__cherry_load(source)` reports ready / load-error,
// `__cherry_handle(json)` grades a batch and posts one result per sample through `__cherry_post`.
// User code runs in its own globals dict, compiled with the file name '<grader>' so tracebacks give the
// user's line numbers. Imports of the JavaScript bridge (js, pyodide_js, pyodide.http) are refused; the
// hosts also remove network globals and code evaluation on the JavaScript side, which is what matters.

export const PYTHON_RUNTIME = String.raw`
import json as _json, math as _math, time as _time, sys as _sys, traceback as _tb

_BLOCKED = ('js', 'pyodide_js', 'pyodide', '_pyodide', 'micropip', 'pyodide_http')

class _CherryBlock:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in _BLOCKED:
            raise ImportError("module '" + name + "' is not available inside a grader: graders cannot use the network or reach the page")
        return None

for _k in list(_sys.modules):
    if _k.split('.')[0] in ('js', 'pyodide_js', 'pyodide_http'):
        del _sys.modules[_k]
_sys.meta_path.insert(0, _CherryBlock())

_state = {'fn': None, 'name': 'grader', 'max_details': 65536}

def _line(e):
    for fr in reversed(_tb.extract_tb(e.__traceback__)):
        if fr.filename == '<grader>':
            return fr.lineno
    return None

def _err(e):
    return type(e).__name__ + ': ' + str(e)[:500]

def _describe(v):
    if v is None:
        return 'None (does grade return a value on every path?)'
    if isinstance(v, bool):
        return 'the boolean ' + str(v) + ' (return 1.0 or 0.0 instead)'
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return 'the string ' + repr(v[:40])
    if isinstance(v, dict):
        ks = [str(k) for k in list(v.keys())[:5]]
        return 'a dict with ' + str(len(v)) + ' key(s) {' + ', '.join(ks) + (', ...' if len(v) > 5 else '') + '}'
    return 'a value of type ' + type(v).__name__

def _num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and _math.isfinite(v)

def _normalize(idx, v):
    name = _state['name']
    if _num(v):
        return {'reward': float(v), 'details': None, 'error': None, 'error_kind': None}
    if isinstance(v, dict) and 'score' in v:
        s = v['score']
        if not _num(s):
            return {'reward': None, 'details': None, 'error_kind': 'error',
                    'error': "grader '" + name + "' returned {score: " + _describe(s) + '} on sample ' + str(idx) + '; score must be a finite number'}
        details = None
        if v.get('details') is not None:
            try:
                text = _json.dumps(v['details'], allow_nan=False, default=str)
            except Exception as e:
                return {'reward': None, 'details': None, 'error_kind': 'error',
                        'error': "grader '" + name + "' returned details that cannot be turned into JSON on sample " + str(idx) + ': ' + _err(e)}
            mx = _state['max_details']
            details = _json.loads(text) if len(text) <= mx else {'truncated': True, 'note': 'details were ' + str(len(text)) + ' characters of JSON; the limit is ' + str(mx)}
        return {'reward': float(s), 'details': details, 'error': None, 'error_kind': None}
    return {'reward': None, 'details': None, 'error_kind': 'error',
            'error': "grader '" + name + "' returned " + _describe(v) + ' on sample ' + str(idx) + '; return a finite number or {"score": number, "details": ...}'}

def __cherry_load(name, source):
    _state['name'] = name
    g = {'__name__': '__grader__'}
    try:
        code = compile(source, '<grader>', 'exec')
    except SyntaxError as e:
        __cherry_post(_json.dumps({'kind': 'load-error', 'line': e.lineno, 'column': e.offset,
            'message': "grader '" + name + "': syntax error at line " + str(e.lineno) + ', column ' + str(e.offset) + ': ' + str(e.msg)}))
        return
    try:
        exec(code, g)
    except BaseException as e:
        ln = _line(e)
        __cherry_post(_json.dumps({'kind': 'load-error', 'line': ln, 'column': None,
            'message': "grader '" + name + "' failed while loading" + (' at line ' + str(ln) if ln else '') + ': ' + _err(e)}))
        return
    fn = g.get('grade')
    if not callable(fn):
        __cherry_post(_json.dumps({'kind': 'load-error', 'line': None, 'column': None,
            'message': "grader '" + name + "' defines no function named grade: write 'def grade(sample, item):' returning a float"}))
        return
    _state['fn'] = fn
    __cherry_post(_json.dumps({'kind': 'ready'}))

def __cherry_handle(text):
    m = _json.loads(text)
    fn, name, limit = _state['fn'], _state['name'], m['sampleTimeoutMs']
    for i, r in enumerate(m['requests']):
        idx = m['start'] + i
        t0 = _time.perf_counter()
        try:
            res = _normalize(idx, fn(r['sample'], r['item']))
        except BaseException as e:
            ln = _line(e)
            res = {'reward': None, 'details': None, 'error_kind': 'error',
                   'error': "grader '" + name + "' raised on sample " + str(idx) + (' at line ' + str(ln) if ln else '') + ': ' + _err(e)}
        ms = (_time.perf_counter() - t0) * 1000.0
        if res['error'] is None and ms > limit:
            res = {'reward': None, 'details': None, 'error_kind': 'timeout',
                   'error': "grader '" + name + "' took " + str(round(ms)) + ' ms on sample ' + str(idx) + '; the per-sample limit is ' + str(limit) + ' ms'}
        res.update({'kind': 'result', 'id': m['id'], 'index': idx, 'ms': ms})
        __cherry_post(_json.dumps(res))
`;
