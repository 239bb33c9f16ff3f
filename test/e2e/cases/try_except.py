"""try / except / else / finally as numeric code uses them: skipping bad
values, defaults for missing keys, counting failures, cleaning up, and
re-raising what a handler cannot handle."""
import math

import numpy as np


def safe_log_sum(xs: list[float]) -> float:
    s = 0.0
    for x in xs:
        try:
            s += math.log(x)
        except ValueError:
            s -= 1.0
    return s


def ratio_table(a: list[int], b: list[int]) -> list[float]:
    out = []
    for i in range(len(a)):
        try:
            r = a[i] / b[i]
        except ZeroDivisionError:
            r = math.inf if a[i] > 0 else (-math.inf if a[i] < 0 else math.nan)
        out.append(r)
    return out


def lookup_all(table: dict[int, float], keys: list[int]) -> tuple[float, int]:
    total = 0.0
    missing = 0
    for k in keys:
        try:
            v = table[k]
        except KeyError:
            missing += 1
        else:
            total += v
    return total, missing


def checked_mean(x: np.ndarray, i: int, j: int) -> float:
    try:
        window = x[i:j]
        return float(window.sum()) / (j - i)
    except ZeroDivisionError:
        return 0.0


def element_or_default(x: np.ndarray, i: int, default: float) -> float:
    try:
        return x[i]
    except IndexError:
        return default


def parse_digits(codes: list[int]) -> int:
    # 48..57 are digits; anything else raises ValueError, which ends the number.
    n = 0
    try:
        for c in codes:
            if c < 48 or c > 57:
                raise ValueError("not a digit", c)
            n = n * 10 + (c - 48)
    except ValueError:
        n = -n
    return n


def cleanup_count(xs: list[int]) -> tuple[int, int]:
    done = 0
    cleaned = 0
    for x in xs:
        try:
            try:
                done += 100 // x
            finally:
                cleaned += 1
        except ZeroDivisionError:
            done -= 1
    return done, cleaned


def strict_sqrt(x: float) -> float:
    try:
        return math.sqrt(x)
    except ValueError:
        if x < -100.0:
            raise
        return 0.0


def overflow_guard(a: int, b: int) -> int:
    try:
        return a * b
    except OverflowError:
        return -1


def classify(v: int) -> int:
    # Which clause handles it: the first that matches, base classes included.
    try:
        if v == 0:
            raise KeyError(v)
        if v == 1:
            raise IndexError("index", v)
        if v == 2:
            raise ZeroDivisionError("zero")
        if v == 3:
            raise TypeError("type")
        return 10
    except LookupError:
        return 1
    except (ArithmeticError, AssertionError):
        return 2
    except Exception:
        return 3


def finally_on_error(x: int) -> int:
    state = 0
    try:
        state = 1
        y = 10 // x
        state = 2 + y
    finally:
        state += 100
    return state


def parallel_in_try(n: int) -> float:
    # A handler sees exactly the writes of the iterations before the failure.
    out = np.zeros(n)
    try:
        for i in range(n):
            out[i] = 10.0 / (i - n // 2)
    except ZeroDivisionError:
        pass
    return float(np.sum(out[n // 2:]))


def outer_exception_again(x: int) -> int:
    try:
        return 10 // x
    except ZeroDivisionError as e:
        try:
            return {1: 2}[x]
        except KeyError:
            raise e


def name_is_deleted(x: int) -> int:
    try:
        x = 10 // x
    except ZeroDivisionError as x:
        pass
    return x


def catches_nothing(x: int) -> int:
    try:
        return 10 // x
    except ():
        return -1
    except ZeroDivisionError:
        return -2


def reraise_after_loop(x: int, n: int) -> np.ndarray:
    out = np.zeros(n)
    try:
        y = 10 // x
    except ZeroDivisionError:
        for i in range(n):
            out[i] = i
            if i == n - 1:
                raise
    return out


def deep(n: int) -> int:
    # Many try statements in a recursive function: RecursionError, not a crash.
    s = 0
    try:
        s += 1 // n
    except ZeroDivisionError:
        pass
    try:
        s += 2 // n
    except ZeroDivisionError:
        pass
    try:
        s += 3 // n
    except ZeroDivisionError:
        pass
    return s + deep(n + 1)
