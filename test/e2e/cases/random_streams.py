"""Random numbers as simulations use them, seeded inside compiled code:
CPython's `random` and NumPy's legacy `np.random` give the same numbers
compiled and interpreted for the same seed."""
import random
from random import gauss, randint

import numpy as np


def py_draws(seed: int, n: int) -> list[float]:
    random.seed(seed)
    out = []
    for _ in range(n):
        out.append(random.random())
        out.append(random.uniform(-2.0, 3.0))
        out.append(float(randint(1, 6)))
        out.append(float(random.randrange(10)))
        out.append(float(random.randrange(5, 100, 7)))
        out.append(float(random.randrange(100, 5, -3)))
        out.append(gauss(1.0, 2.0))
        out.append(random.normalvariate(0.0, 1.0))
        out.append(random.expovariate(1.5))
        out.append(float(random.randint(0, 2 ** 40)))
        out.append(float(random.randint(5, 5)))
    return out


def deal(seed: int, n: int) -> list[int]:
    random.seed(seed)
    deck = list(range(n))
    random.shuffle(deck)
    deck.append(random.choice(deck))
    return deck


def monte_carlo_pi(seed: int, n: int) -> float:
    random.seed(seed)
    hits = 0
    for _ in range(n):
        x = random.random()
        y = random.random()
        if x * x + y * y <= 1.0:
            hits += 1
    return 4.0 * hits / n


def random_walk(seed: int, steps: int) -> np.ndarray:
    np.random.seed(seed)
    pos = np.zeros(steps + 1)
    for i in range(steps):
        pos[i + 1] = pos[i] + np.random.normal(0.0, 0.1)
    return pos


def np_draws(seed: int, n: int) -> list[float]:
    np.random.seed(seed)
    out = []
    for _ in range(n):
        out.append(np.random.rand())
        out.append(np.random.randn())
        out.append(np.random.normal(2.0, 0.5))
        out.append(np.random.uniform(-1.0, 1.0))
        out.append(float(np.random.randint(0, 10)))
        out.append(float(np.random.randint(7)))
        out.append(float(np.random.randint(-5, 2 ** 40)))
        out.append(np.random.random_sample())
    return out


def np_arrays(seed: int) -> np.ndarray:
    np.random.seed(seed)
    a = np.random.rand(3, 4)
    b = np.random.randn(5)
    c = np.random.normal(1.0, 2.0, size=(2, 3))
    d = np.random.uniform(0.0, 5.0, 7)
    e = np.random.randint(0, 100, size=6)
    f = np.random.random_sample((2, 2))
    return np.concatenate((a.ravel(), b, c.ravel(), d, e.astype(np.float64), f.ravel()))


def bad_calls(which: int) -> float:
    if which == 0:
        return float(random.randint(5, 4))
    if which == 1:
        return float(random.randrange(0))
    if which == 2:
        return float(random.choice([0.5][:0]))
    if which == 3:
        np.random.seed(-1)
    if which == 4:
        return float(np.random.randint(3, 3))
    if which == 5:
        return np.random.normal(0.0, -1.0)
    return 0.0


def wide_ranges(seed: int, hi: int) -> list[int]:
    random.seed(seed)
    np.random.seed(seed % 2 ** 32)
    return [random.randint(0, hi), random.randrange(-hi, hi), random.randrange(-5, hi, 1),
            np.random.randint(-hi, hi), np.random.randint(hi)]


def np_checks(which: int, x: float) -> float:
    if which == 0:
        return float(np.random.randint(int(x)))
    if which == 1:
        return np.random.uniform(0.0, x)
    return np.random.normal(0.0, x)


def seed_only(s: int) -> int:
    random.seed(s)
    return 0


def draw() -> float:
    return random.random()


def np_shuffles(seed: int, n: int) -> np.ndarray:
    np.random.seed(seed)
    a = np.arange(float(n))
    np.random.shuffle(a)
    p = np.random.permutation(n)
    q = np.random.permutation(a)
    c = np.random.choice(n)
    d = np.random.choice(a)
    return np.concatenate((a, p.astype(np.float64), q, np.array([float(c), d])))
