"""gunicorn settings, read from the working directory by every `gunicorn wsgi:app` started here
(`make run`, the benchmark's HTTP part): each worker warms the search index before serving."""

import gc

from search_index import IndexUnavailable


def post_worker_init(worker):
    """Open the search index and load its common words before the first request.

    Otherwise the first searches in each worker pay for it (seconds at 20,000 write-ups).
    Then everything loaded so far is frozen out of the garbage collector: a full collection
    would otherwise walk it all, a pause of about 0.1 s in some unlucky search.
    """
    try:
        worker.wsgi.extensions["search_index"].warm()
    except IndexUnavailable as error:  # search says it is being rebuilt; pages still work
        worker.log.warning("search index not warmed: %s", error)
    gc.freeze()
