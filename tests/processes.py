"""Running real services in several processes at once, as several gunicorn workers would."""

import multiprocessing
import traceback
from collections.abc import Callable

SPAWN = multiprocessing.get_context("spawn")
CONFIG_KEYS = (
    "TESTING", "SECRET_KEY", "DATABASE_URL", "INDEX_DIR", "UPLOAD_DIR",
    "PASSWORD_HASH_PARAMETERS", "WTF_CSRF_ENABLED", "SERVER_NAME",
)


def app_config(app, **overrides) -> dict:
    """The test app's configuration as a picklable dict, for another process's create_app."""
    return {**{key: app.config[key] for key in CONFIG_KEYS}, **overrides}


def _run(work: Callable, worker: int, args: tuple, barrier, results) -> None:
    try:
        results.put((worker, None, work(worker, barrier, *args)))
    except BaseException:  # noqa: BLE001 - reported to the parent, which fails the test
        results.put((worker, traceback.format_exc(), None))


def run_workers(work: Callable, workers: int, *args, timeout: float = 120) -> list:
    """Run `work(worker, barrier, *args)` in `workers` new processes; return what each returned,
    in worker order, or fail with every worker's traceback. `work` must be a module-level
    function; it calls `barrier.wait()` so that all of them start together."""
    barrier = SPAWN.Barrier(workers)
    results = SPAWN.Queue()
    processes = [
        SPAWN.Process(target=_run, args=(work, worker, args, barrier, results))
        for worker in range(workers)
    ]
    for process in processes:
        process.start()
    try:
        reports = sorted(results.get(timeout=timeout) for _ in processes)
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
                process.join()
        results.close()
        results.join_thread()
    errors = {worker: error for worker, error, _ in reports if error}
    assert not errors, "\n".join(f"worker {w}:\n{error}" for w, error in errors.items())
    assert [process.exitcode for process in processes] == [0] * workers
    return [returned for _, _, returned in reports]
