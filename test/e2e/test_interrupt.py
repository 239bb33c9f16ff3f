"""Ctrl-C during long compiled loops (RELIABILITY row 22): KeyboardInterrupt
promptly, for a `while` loop, a nested loop and a single innermost `for`
loop (which runs in chunks with a poll between them), and the process stays
usable afterwards. Each case runs in a fresh interpreter with a timeout, so
a loop that ignores Ctrl-C fails instead of hanging the suite."""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SRC = textwrap.dedent("""
    def flat(n: int) -> int:
        s = 0
        for i in range(n):
            s += i & 7
        return s

    def nested(n: int) -> int:
        s = 0
        for i in range(n):
            for j in range(1000):
                s += (i ^ j) & 7
        return s

    def small(x: float) -> float:
        s = 0.0
        for i in range(10):
            s += x
        return s

    def spin(n: int) -> int:
        s = 0
        while s >= 0:
            s = (s + n) % 1000003
        return s
    """)


@pytest.fixture(scope="module")
def mod(kiln, tmp_path_factory):
    from conftest import build_in
    return build_in(kiln, tmp_path_factory.mktemp("interrupt"), "kiln_intr", SRC)


@pytest.mark.parametrize("fn", ["flat", "nested", "spin"])
def test_ctrl_c_interrupts(mod, fn):
    script = textwrap.dedent(f"""
        import os, signal, sys, threading, time
        signal.signal(signal.SIGINT, signal.default_int_handler)  # even if inherited ignored
        sys.path.insert(0, {str(mod)!r})
        import kiln_intr
        t0 = []
        def fire():
            t0.append(time.perf_counter())
            os.kill(os.getpid(), signal.SIGINT)
        threading.Timer(0.3, fire).start()
        try:
            kiln_intr.{fn}(10**15)
            print("finished")
        except KeyboardInterrupt:
            print("interrupted %.3f" % (time.perf_counter() - t0[0]))
        print(kiln_intr.flat(100))  # still usable
        """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, env=dict(os.environ))
    out = proc.stdout.split()
    assert out[0] == "interrupted", proc.stdout + proc.stderr
    assert float(out[1]) < 0.5  # aim: well under 100 ms
    assert out[2] == str(sum(i & 7 for i in range(100)))


def _run(mod, body):
    script = (f"import os, signal, sys, threading, time\n"
              f"signal.signal(signal.SIGINT, signal.default_int_handler)\n"
              f"sys.path.insert(0, {str(mod)!r})\nimport kiln_intr\n"
              f"def ctrl_c(after):\n"
              f"    threading.Timer(after, os.kill, (os.getpid(), signal.SIGINT)).start()\n"
              + textwrap.dedent(body))
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, env=dict(os.environ))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout.split()


@pytest.mark.parametrize("fn", ["flat", "nested", "spin"])
def test_user_handler_exception_is_what_the_caller_sees(mod, fn):
    # RELIABILITY row 28: a user's SIGINT handler runs during the compiled
    # call (at its next poll), and its own exception stops the call.
    out = _run(mod, f"""
        class Stop(Exception):
            pass
        def handler(s, f):
            raise Stop("handled")
        signal.signal(signal.SIGINT, handler)
        ctrl_c(0.3)
        t0 = time.perf_counter()
        try:
            kiln_intr.{fn}(10**15)
            print("finished")
        except Stop as e:
            print(str(e), "%.3f" % (time.perf_counter() - t0))
        """)
    assert out[0] == "handled", out
    assert float(out[1]) < 0.3 + 0.5


def test_user_handler_that_returns_lets_the_call_go_on(mod):
    out = _run(mod, """
        hits = []
        signal.signal(signal.SIGINT, lambda s, f: hits.append(time.perf_counter()))
        ctrl_c(0.2)
        t0 = time.perf_counter()
        r = kiln_intr.nested(4000000)
        t1 = time.perf_counter()
        assert r == kiln_intr.nested(4000000)  # the same as uninterrupted
        print(len(hits), "%.3f" % (hits[0] - t0) if hits else "none", "%.3f" % (t1 - t0))
        """)
    assert out[0] == "1", out
    # the handler ran during the call, not after it
    assert float(out[1]) < float(out[2]), out


def test_only_the_main_thread_is_interrupted(mod):
    # RELIABILITY row 27: with the main thread and another thread in compiled
    # loops, Ctrl-C interrupts the main thread only; the other one finishes.
    out = _run(mod, """
        res = []
        t = threading.Thread(target=lambda: res.append(kiln_intr.nested(300000)))
        t.start()
        time.sleep(0.05)
        ctrl_c(0.1)
        try:
            kiln_intr.spin(10**15)
            print("finished")
        except KeyboardInterrupt:
            print("interrupted")
        t.join()
        print(len(res), res[0] == kiln_intr.nested(300000) if res else False)
        """)
    assert out == ["interrupted", "1", "True"], out


def test_handler_installed_just_before_a_long_call(mod):
    # Calls make no system call: Kiln re-chains its Ctrl-C handler when
    # signal.signal runs (it wraps it), not by checking on every call. A
    # handler installed right after a call and right before a long one is
    # still reached during the long call.
    out = _run(mod, """
        class Stop(Exception):
            pass
        def handler(s, f):
            raise Stop("handled")
        kiln_intr.flat(1000)                 # the module has checked its handler
        prev = signal.signal(signal.SIGINT, handler)
        assert prev is signal.default_int_handler, prev
        assert signal.getsignal(signal.SIGINT) is handler
        ctrl_c(0.3)
        t0 = time.perf_counter()
        try:
            kiln_intr.spin(10**15)
            print("finished")
        except Stop as e:
            print(str(e), "%.3f" % (time.perf_counter() - t0))
        """)
    assert out[0] == "handled", out
    assert float(out[1]) < 0.3 + 0.5


def test_signal_signal_taken_before_kiln_is_seen_too(mod):
    # `from signal import signal` before the first Kiln import still goes
    # through the wrap (Kiln wraps _signal.signal, which it calls).
    script = (f"import os, sys, threading, time\n"
              f"from signal import signal as early_signal, SIGINT, default_int_handler\n"
              f"early_signal(SIGINT, default_int_handler)\n"
              f"sys.path.insert(0, {str(mod)!r})\nimport kiln_intr\n" + textwrap.dedent("""
        class Stop(Exception):
            pass
        def handler(s, f):
            raise Stop("handled")
        kiln_intr.flat(1000)
        early_signal(SIGINT, handler)
        threading.Timer(0.3, os.kill, (os.getpid(), SIGINT)).start()
        t0 = time.perf_counter()
        try:
            kiln_intr.spin(10**15)
        except Stop as e:
            print(str(e), "%.3f" % (time.perf_counter() - t0))
        """))
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60)
    out = proc.stdout.split()
    assert out and out[0] == "handled", proc.stdout + proc.stderr
    assert float(out[1]) < 0.3 + 0.5


def test_signal_signal_keeps_its_behaviour(mod):
    out = _run(mod, """
        for bad in ((signal.SIGKILL, signal.SIG_IGN), (99999, signal.SIG_IGN), (signal.SIGINT, 5)):
            try:
                signal.signal(*bad)
                print("accepted")
            except (ValueError, OSError, TypeError) as e:
                print(type(e).__name__)
        old = signal.signal(signal.SIGINT, signal.SIG_IGN)
        print(old is signal.default_int_handler, signal.getsignal(signal.SIGINT) == signal.SIG_IGN)
        """)
    assert out == ["OSError", "ValueError", "TypeError", "True", "True"], out


def test_handler_calling_a_short_function(mod):
    # A Python handler that runs inside a long call (at its poll) may call
    # compiled code; a short function keeps the GIL and must not try to take
    # it again at its own polls.
    out = _run(mod, """
        hits = []
        signal.signal(signal.SIGINT, lambda s, f: hits.append(kiln_intr.small(1.5)))
        ctrl_c(0.2)
        r = kiln_intr.nested(4000000)
        assert r == kiln_intr.nested(4000000)
        print(hits)
        """)
    assert out == ["[15.0]"], out


FORK_SRC = textwrap.dedent("""
    import numpy as np
    from kiln.types import float64

    def pre_sort(s: float64[:], a: float64[:]):
        t = np.sort(s)
        out = np.sqrt(np.sin(a) + 2.0) * np.cos(a) * np.exp(-a * a) + 1.0
        return out, t[0]
    """)


def test_fork_from_a_handler_during_a_parallel_loop(kiln, tmp_path):
    # Found by review: a handler that fork()s at a poll of a parallel loop's
    # serial start left the child starting pool threads of its own, which
    # outlived the loop and used its freed memory (SIGSEGV in 2-3 of ~30
    # children). A child now finishes the loop alone.
    from conftest import build_in
    build_in(kiln, tmp_path, "kfork", FORK_SRC)
    script = textwrap.dedent(f"""
        import os, signal, sys, threading, time
        import numpy as np
        sys.path[:0] = [{str(tmp_path)!r}, {str(Path(__file__).resolve().parents[2] / "python")!r}]
        import kiln, kfork
        kiln.set_num_threads(2)
        child = []
        pids = []
        def h(s, f):
            pid = os.fork()
            if pid == 0:
                child.append(1)
            else:
                pids.append(pid)
        signal.signal(signal.SIGINT, h)
        done = []
        def sender():
            for _ in range(30):
                time.sleep(0.013)
                os.kill(os.getpid(), signal.SIGINT)
            done.append(1)
        s = np.random.default_rng(0).random(150_000)
        a = np.random.default_rng(1).random(1 << 17)
        threading.Thread(target=sender).start()
        while not done:
            try:
                kfork.pre_sort(s, a)
            except RuntimeError:
                pass  # forked after the loop was shared: documented
            if child:
                n = len(os.listdir("/proc/self/task"))
                os._exit(0 if n == 1 else 3)
        bad = 0
        for p in pids:
            _, st = os.waitpid(p, 0)
            bad += not (os.WIFEXITED(st) and os.WEXITSTATUS(st) == 0)
        print(len(pids), bad)
        """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    forks, bad = map(int, proc.stdout.split())
    assert forks > 0 and bad == 0, proc.stdout
