// A `rapidfuzz` package for Python graders (OpenAI's grader image has rapidfuzz; Pyodide does not ship it):
// fuzz.ratio, partial_ratio, token_sort_ratio, token_set_ratio, token_ratio, partial_token_sort_ratio,
// partial_token_set_ratio, partial_token_ratio, WRatio, QRatio and utils.default_process, written for
// Cherry from rapidfuzz's documented definitions. ratio is the fuzzy_match metric (metrics/fuzzy.ts):
// 2·LCS / (len(a) + len(b)) over code points, ×100; the others are built on it as rapidfuzz builds them.
// Scores are Python floats; rapidfuzz's C++ build returns the same values rounded to float32 in its docs
// (96.55171966552734 for 96.55172413793103). partial_ratio checks every alignment (rapidfuzz does so for
// needles up to 64 characters; for longer ones its C++ build may settle on a slightly lower score).
// The files are written into the Pyodide file system before the grader loads (python.ts).

const INIT = `"""Cherry's rapidfuzz: the fuzz scorers and utils.default_process (see fuzz.py)."""
from . import fuzz, utils

__version__ = "3.0.0+cherry"
__all__ = ["fuzz", "utils"]
`;

const UTILS = `import re

_NON_ALNUM = re.compile(r"(?ui)\\W")


def default_process(sentence):
    """Non-alphanumeric characters become spaces; then strip and lower-case."""
    return _NON_ALNUM.sub(" ", sentence).strip().lower()
`;

const FUZZ = `"""rapidfuzz.fuzz scorers (0 to 100). processor: a function applied to both strings first."""


def _prep(s1, s2, processor):
    if processor is not None:
        s1, s2 = processor(s1), processor(s2)
    return s1, s2


def _lcs(a, b):
    """Length of the longest common subsequence (bit-parallel over the characters of a)."""
    if not a or not b:
        return 0
    masks = {}
    for i, ch in enumerate(a):
        masks[ch] = masks.get(ch, 0) | (1 << i)
    full = (1 << len(a)) - 1
    v = full
    for ch in b:
        u = v & masks.get(ch, 0)
        v = ((v + u) | (v - u)) & full
    return len(a) - bin(v).count("1")


def _ratio(a, b):
    total = len(a) + len(b)
    return 100.0 if total == 0 else 100.0 * 2 * _lcs(a, b) / total


def _cut(score, score_cutoff):
    return score if score_cutoff is None or score >= score_cutoff else 0.0


def ratio(s1, s2, *, processor=None, score_cutoff=None):
    """Normalized Indel similarity: 100 * 2 * LCS / (len(s1) + len(s2)); 100 for two empty strings."""
    if s1 is None or s2 is None:
        return 0.0
    s1, s2 = _prep(s1, s2, processor)
    return _cut(_ratio(s1, s2), score_cutoff)


def _best_window(needle, hay):
    """Best ratio of needle against the windows of hay that can hold an optimal alignment (len(needle) <= len(hay))."""
    chars = set(needle)
    n, m = len(needle), len(hay)
    best = 0.0
    starts = [(0, i) for i in range(1, n) if hay[i - 1] in chars]            # windows cut at the start of hay
    starts += [(i, i + n) for i in range(m - n) if hay[i + n - 1] in chars]  # full-length windows
    starts += [(i, m) for i in range(m - n, m) if hay[i] in chars]           # windows cut at the end of hay
    for lo, hi in starts:
        score = _ratio(needle, hay[lo:hi])
        if score > best:
            best = score
            if best == 100.0:
                break
    return best


def partial_ratio(s1, s2, *, processor=None, score_cutoff=None):
    """ratio of the shorter string against its best-aligned substring of the longer one."""
    if s1 is None or s2 is None:
        return 0.0
    s1, s2 = _prep(s1, s2, processor)
    if not s1 and not s2:
        return _cut(100.0, score_cutoff)
    short, long_ = (s1, s2) if len(s1) <= len(s2) else (s2, s1)
    best = _best_window(short, long_)
    if best != 100.0 and len(s1) == len(s2):
        best = max(best, _best_window(long_, short))
    return _cut(best, score_cutoff)


def _tokens(s):
    return s.split()


def _sorted_join(tokens):
    return " ".join(sorted(tokens))


def token_sort_ratio(s1, s2, *, processor=None, score_cutoff=None):
    """ratio of the two strings with their words sorted."""
    if s1 is None or s2 is None:
        return 0.0
    s1, s2 = _prep(s1, s2, processor)
    return _cut(_ratio(_sorted_join(_tokens(s1)), _sorted_join(_tokens(s2))), score_cutoff)


def token_set_ratio(s1, s2, *, processor=None, score_cutoff=None):
    """Compares the common words with each string's own words; 100 when one word set contains the other."""
    if s1 is None or s2 is None:
        return 0.0
    s1, s2 = _prep(s1, s2, processor)
    a, b = set(_tokens(s1)), set(_tokens(s2))
    if not a or not b:
        return 0.0
    common, only_a, only_b = a & b, a - b, b - a
    if common and (not only_a or not only_b):
        return _cut(100.0, score_cutoff)
    diff_a, diff_b = _sorted_join(only_a), _sorted_join(only_b)
    sect = len(" ".join(common))
    sep = 1 if sect else 0
    len_a, len_b = sect + sep + len(diff_a), sect + sep + len(diff_b)
    # "common + only_a" against "common + only_b": only the differing parts need an alignment.
    indel = len(diff_a) + len(diff_b) - 2 * _lcs(diff_a, diff_b)
    best = 100.0 - 100.0 * indel / (len_a + len_b) if len_a + len_b else 100.0
    if sect:
        # "common" against "common + only_x": the distance is the length of the added part.
        best = max(best, 100.0 - 100.0 * (sep + len(diff_a)) / (sect + len_a),
                   100.0 - 100.0 * (sep + len(diff_b)) / (sect + len_b))
    return _cut(best, score_cutoff)


def token_ratio(s1, s2, *, processor=None, score_cutoff=None):
    """max(token_set_ratio, token_sort_ratio)."""
    if s1 is None or s2 is None:
        return 0.0
    s1, s2 = _prep(s1, s2, processor)
    return _cut(max(token_set_ratio(s1, s2), token_sort_ratio(s1, s2)), score_cutoff)


def partial_token_sort_ratio(s1, s2, *, processor=None, score_cutoff=None):
    """partial_ratio of the two strings with their words sorted."""
    if s1 is None or s2 is None:
        return 0.0
    s1, s2 = _prep(s1, s2, processor)
    return partial_ratio(_sorted_join(_tokens(s1)), _sorted_join(_tokens(s2)), score_cutoff=score_cutoff)


def partial_token_set_ratio(s1, s2, *, processor=None, score_cutoff=None):
    """100 when the strings share a word, else partial_ratio of each string's own words."""
    if s1 is None or s2 is None:
        return 0.0
    s1, s2 = _prep(s1, s2, processor)
    a, b = set(_tokens(s1)), set(_tokens(s2))
    if not a or not b:
        return 0.0
    if a & b:
        return _cut(100.0, score_cutoff)
    return partial_ratio(_sorted_join(a - b), _sorted_join(b - a), score_cutoff=score_cutoff)


def partial_token_ratio(s1, s2, *, processor=None, score_cutoff=None):
    """max(partial_token_set_ratio, partial_token_sort_ratio)."""
    if s1 is None or s2 is None:
        return 0.0
    s1, s2 = _prep(s1, s2, processor)
    ta, tb = _tokens(s1), _tokens(s2)
    a, b = set(ta), set(tb)
    if a & b:
        return _cut(100.0, score_cutoff)
    best = partial_ratio(_sorted_join(ta), _sorted_join(tb))
    if len(ta) != len(a) or len(tb) != len(b):  # with repeated words the word sets differ from the sorted lists
        best = max(best, partial_ratio(_sorted_join(a), _sorted_join(b)))
    return _cut(best, score_cutoff)


def WRatio(s1, s2, *, processor=None, score_cutoff=None):
    """Weighted ratio: ratio, token ratios (x0.95) and, for strings of different lengths, partial ratios (x0.9 or x0.6)."""
    if s1 is None or s2 is None:
        return 0.0
    s1, s2 = _prep(s1, s2, processor)
    if not s1 or not s2:
        return 0.0
    unbase = 0.95
    longer, shorter = max(len(s1), len(s2)), min(len(s1), len(s2))
    len_ratio = longer / shorter
    best = _ratio(s1, s2)
    if len_ratio < 1.5:
        return _cut(max(best, token_ratio(s1, s2) * unbase), score_cutoff)
    partial = 0.9 if len_ratio < 8.0 else 0.6
    best = max(best, partial_ratio(s1, s2) * partial)
    return _cut(max(best, partial_token_ratio(s1, s2) * unbase * partial), score_cutoff)


def QRatio(s1, s2, *, processor=None, score_cutoff=None):
    """ratio, except that an empty string scores 0."""
    if s1 is None or s2 is None:
        return 0.0
    s1, s2 = _prep(s1, s2, processor)
    if not s1 or not s2:
        return 0.0
    return _cut(_ratio(s1, s2), score_cutoff)
`;

/** The package's files, by path relative to a sys.path entry. */
export const RAPIDFUZZ_FILES: Record<string, string> = {
  'rapidfuzz/__init__.py': INIT,
  'rapidfuzz/utils.py': UTILS,
  'rapidfuzz/fuzz.py': FUZZ,
};
