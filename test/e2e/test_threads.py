"""Threads (RELIABILITY row 19): concurrent calls give correct results, and a
long compiled call releases the GIL so other Python threads progress."""
import threading
import time

import pytest


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module("threads_.py")


def test_concurrent_calls_are_correct(m):
    jobs = [(2000 + 37 * t, t + 1) for t in range(8)]
    want_mix = {job: m.py.mix(*job) for job in jobs}
    want_spin = {job: m.py.spin(job[0], float(job[1])) for job in jobs}
    results, errors = {}, []
    barrier = threading.Barrier(8)

    def worker(t):
        try:
            barrier.wait()
            n, k = jobs[t]
            got = []
            for rep in range(200):
                got.append((m.k.mix(n, k), m.k.spin(n, float(k))))
                try:
                    m.k.checked(2 * rep + (t % 2))
                    got.append(("ok", t % 2))
                except ValueError as e:
                    got.append(("err", e.args == ("odd", 2 * rep + 1)))
            results[t] = got
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert not errors, errors
    assert len(results) == 8
    for t, got in results.items():
        job = jobs[t]
        pairs = got[0::2]
        outcomes = got[1::2]
        assert all(p == (want_mix[job], want_spin[job]) for p in pairs), t
        if t % 2 == 0:
            assert all(o == ("ok", 0) for o in outcomes), t
        else:
            assert all(o == ("err", True) for o in outcomes), t


def _calibrate(m, target=0.2):
    n = 200_000
    while True:
        t0 = time.perf_counter()
        m.k.spin(n, 0.5)
        dt = time.perf_counter() - t0
        if dt > 0.02 or n > 10**10:
            return max(1, int(n * target / dt))
        n *= 4


def test_gil_released_during_long_call(m):
    n = _calibrate(m)
    count = 0
    stop = False

    def counter():
        nonlocal count
        while not stop:
            count += 1

    th = threading.Thread(target=counter)
    th.start()
    try:
        time.sleep(0.05)
        # the counter's rate with the main thread idle in sleep()
        c0 = count
        time.sleep(0.1)
        rate_idle = (count - c0) / 0.1
        # the counter's rate while the main thread runs compiled code
        c0 = count
        t0 = time.perf_counter()
        m.k.spin(n, 0.5)
        dt = time.perf_counter() - t0
        during = count - c0
    finally:
        stop = True
        th.join()
    assert dt > 0.05, f"calibration failed: the call took only {dt:.3f}s"
    # With the GIL held the counter would be frozen for the whole call (a few
    # switches at most); released, it runs at a large fraction of its idle rate.
    assert during > 0.1 * rate_idle * dt, \
        f"counter advanced {during} during a {dt:.3f}s call (idle rate {rate_idle:.0f}/s)"
