"""Per-term score tables: a dict for rare terms, a dense float array for common ones.

A common word matches most documents; as a dict its scores cost about 100 bytes a document,
as an array 4. Both answer `get(docnum, 0.0)` and `items()`; `column` reads many at C speed.
"""

import itertools
import operator
from array import array

DENSE_FROM = 1 / 16  # share of documents above which a term's scores are stored densely


class Dense(array):
    """docnum -> score, 0.0 where the term is absent."""

    def get(self, docnum: int, default: float = 0.0) -> float:
        return self[docnum]

    def items(self):
        docs = list(itertools.compress(range(len(self)), self))
        return zip(docs, map(self.__getitem__, docs))


def dense(size: int) -> Dense:
    return Dense("f", bytes(4 * size))


def table(ids, values, size: int):
    """A score table for `ids` (ascending, all below `size`) with `values`."""
    if len(ids) > size * DENSE_FROM:
        out = dense(size)
        list(map(out.__setitem__, ids, values))
        return out
    return dict(zip(ids, values))


def combine(parts: list[tuple[int, int, object]], size: int):
    """One table for the whole index from (offset, segment size, table) parts."""
    if len(parts) == 1 and parts[0][0] == 0 and (
            not isinstance(parts[0][2], Dense) or parts[0][1] == size):
        return parts[0][2]
    count = sum(len(t) if isinstance(t, dict) else t.buffer_info()[1] for _, _, t in parts)
    if count > size * DENSE_FROM:
        out = dense(size)
        for offset, length, part in parts:
            if isinstance(part, Dense):
                out[offset:offset + length] = part
            else:
                list(map(out.__setitem__, map(offset.__add__, part.keys()), part.values()))
        return out
    out = {}
    for offset, _, part in parts:
        items = part.items()
        out.update(items if offset == 0 else ((offset + d, v) for d, v in items))
    return out


def raised(scores, other, factor: float, size: int):
    """`scores` where at least `factor` times `other`: the best of several ways to match.

    Updates `scores` (the caller's own copy) or returns a new table. A common alternative
    (dense) is merged element by element in C, not document by document in Python.
    """
    if isinstance(other, Dense):
        if not isinstance(scores, Dense):
            sparse, scores = scores, dense(size)
            list(map(scores.__setitem__, sparse.keys(), sparse.values()))
        return Dense("f", map(max, scores, map(operator.mul, other, itertools.repeat(factor))))
    get = scores.get
    for docnum, score in other.items():
        score *= factor
        if score > get(docnum, 0.0):
            scores[docnum] = score
    return scores


def column(scores, docs: list[int]):
    """The scores of `docs`, lazily, 0.0 where absent."""
    if isinstance(scores, Dense):
        return map(scores.__getitem__, docs)
    return map(scores.get, docs, itertools.repeat(0.0))


def cost(scores) -> int:
    """Roughly the bytes a table holds."""
    return 4 * len(scores) if isinstance(scores, Dense) else 100 * len(scores) + 64
