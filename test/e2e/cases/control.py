"""Control flow: if/elif/else, while (+else), for over range (+else), break,
continue, pass, early returns (e2e differential case)."""


def sign(x: float):
    if x < 0:
        return -1
    elif x > 0:
        return 1
    elif x == 0:
        return 0
    else:
        return 2  # NaN


def classify(n: int):
    if n % 15 == 0:
        r = 15
    elif n % 5 == 0:
        r = 5
    elif n % 3 == 0:
        r = 3
    else:
        r = 0
    return r


def range1(n: int):
    s = 0
    c = 0
    for i in range(n):
        s += i
        c += 1
    return (s, c)


def range2(a: int, b: int):
    s = 0
    c = 0
    for i in range(a, b):
        s += i * i
        c += 1
    return (s, c)


def range3(a: int, b: int, st: int):
    """(count, first, last) of range(a, b, st)."""
    c = 0
    first = 0
    last = 0
    for i in range(a, b, st):
        if c == 0:
            first = i
        last = i
        c += 1
    return (c, first, last)


def range_neg_step(n: int):
    s = 0
    for i in range(n, -1, -1):
        s = s * 3 + i
    return s


def range_step_var(a: int, b: int, st: int):
    s = 0
    for i in range(a, b, st):
        s += i
    return s


def loop_var_after(n: int):
    # the loop variable keeps its last value after the loop
    i = -100
    for i in range(n):
        pass
    return i


def loop_var_assign_inside(n: int):
    # assigning the loop variable inside the body does not change the iteration
    c = 0
    for i in range(n):
        i = i + 100
        c += 1
    return c


def range_bounds_evaluated_once(n: int):
    c = 0
    m = n
    for i in range(m):
        m = m + 1
        c += 1
    return (c, m)


def for_else(n: int, stop: int):
    r = -1
    for i in range(n):
        if i == stop:
            r = i
            break
    else:
        r = 1000
    return r


def for_else_continue(n: int):
    s = 0
    for i in range(n):
        if i % 2 == 0:
            continue
        s += i
    else:
        s = -s
    return s


def while_basic(n: int):
    i = 0
    s = 0
    while i < n:
        s += i
        i += 1
    return s


def while_else(n: int, stop: int):
    i = 0
    while i < n:
        if i == stop:
            break
        i += 1
    else:
        i = -1
    return i


def while_complex(a: int, b: int):
    steps = 0
    while (a > 0 and b > 0) or (a < -100 and not b == 7):
        if a > b:
            a -= b
        else:
            b -= a
        steps += 1
        if steps > 1000:
            break
    return (a, b, steps)


def collatz(n: int):
    c = 0
    while n != 1:
        if n % 2 == 0:
            n //= 2
        else:
            n = 3 * n + 1
        c += 1
    return c


def while_true_break(n: int):
    i = 0
    while True:
        i += 3
        if i > n:
            break
    return i


def nested_loops(n: int, m: int):
    s = 0
    for i in range(n):
        for j in range(m):
            if j > i:
                break
            if (i + j) % 3 == 0:
                continue
            s += i * j
        else:
            s += 1000
    return s


def nested_break_outer(n: int, target: int):
    found_i = -1
    found_j = -1
    for i in range(n):
        for j in range(n):
            if i * j == target:
                found_i = i
                found_j = j
                break
        if found_i >= 0:
            break
    return (found_i, found_j)


def primes_below(n: int):
    c = 0
    for k in range(2, n):
        for d in range(2, k):
            if d * d > k:
                c += 1
                break
            if k % d == 0:
                break
        else:
            c += 1
    return c


def early_return(n: int):
    for i in range(n):
        if i * i > n:
            return i
    return -1


def early_return_while(x: float):
    n = 0
    while x > 1.0:
        x /= 2.0
        n += 1
        if n == 10:
            return -n
    return n


def pass_stmt(n: int):
    if n > 0:
        pass
    else:
        n = -n
    for i in range(3):
        pass
    return n


def aug_assign(a: int, b: int):
    x = a
    x += b
    x *= 3
    x -= a
    x //= 2 if b == 0 else b
    x %= 1000
    return x


def aug_assign_f(a: float, b: float):
    x = a
    x += b
    x *= 1.5
    x -= a
    x /= 4.0
    x **= 2
    return x


def widen_int_to_float(n: int):
    # documented: a variable holding int then float is a float variable
    x = 0
    for i in range(n):
        x = x + 0.5
    return x


def widen_branch(c: bool):
    x = 1
    if c:
        x = 2.5
    return x


def fsum_loop(n: int):
    s = 0.0
    for i in range(1, n + 1):
        s += 1.0 / i
    return s


def countdown_float(x: float):
    n = 0
    while x > 0:
        x -= 0.1
        n += 1
    return (n, x)


def bool_loop_cond(n: int):
    done = False
    i = 0
    while not done:
        i += 1
        done = i * i >= n
    return i


def truthy_int_cond(n: int):
    c = 0
    while n:
        n //= 3
        c += 1
    return c


def truthy_float_cond(x: float):
    if x:
        return 1
    return 0


def range_zero_step(n: int):
    s = 0
    for i in range(0, 10, n):
        s += i
    return s
