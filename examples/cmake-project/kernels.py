"""Number-theory kernels, compiled by Kiln into `kernels.abi3.so`.

Plain Python as well: `python3 -c "import kernels"` in this directory runs
the same functions under CPython.
"""


def gcd(a: int, b: int) -> int:
    """Greatest common divisor (Euclid)."""
    while b != 0:
        a, b = b, a % b
    return a


def collatz_len(n: int) -> int:
    """Length of the Collatz sequence starting at n."""
    steps = 1
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps
