# RUN: %verify-diags %s
# What try statements cannot do yet, each with its reason.
import numpy as np


def f(b: int) -> int:
    try:
        # expected-error@+1 {{`return`, `break` and `continue` out of a `try` that has a `finally` are not supported by Kiln yet}}
        return 10 // b
    finally:
        b += 1


def g(b: int) -> int:
    try:
        x = 1
    # expected-error@+1 {{catching this (compiled code raises Python's builtin exceptions: name them, e.g. `except (ValueError, ZeroDivisionError):`) is not supported by Kiln yet}}
    except np.linalg.LinAlgError:
        x = 2
    return x


def h(b: int) -> int:
    try:
        x = 10 // b
    except ZeroDivisionError as e:
        # expected-error@+1 {{using the exception object `e` other than in `raise e` is not supported by Kiln yet}}
        x = e
    # expected-error@+1 {{a bare `raise` outside an `except` clause (CPython: RuntimeError: No active exception to reraise) is not supported by Kiln yet}}
    raise


def k(b: int) -> int:
    try:
        x = 10 // b
    # expected-error@+1 {{default 'except:' must be last}}
    except:
        x = 1
    except ValueError:
        x = 2
    return x


def m(b: int) -> int:
    try:
        x = 10 // b
    finally:
        # expected-error@+1 {{a bare `raise` inside a `finally` block (name the exception: `except E as e:` ... `raise e`) is not supported by Kiln yet}}
        raise
    return x
