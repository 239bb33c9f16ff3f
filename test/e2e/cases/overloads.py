"""Export comments: kiln and pythran spellings, overloads dispatched by
argument type (e2e differential case)."""

# kiln export twice(int)
# kiln export twice(float)
#pythran export twice(bool)


def twice(x):
    return x + x


#pythran export scaled(float, int)
#pythran export scaled(int, int)
def scaled(x, n):
    return x * n


# kiln export hyp(float, float)
def hyp(a, b):
    return (a * a + b * b) ** 0.5


# kiln export checked_div(int, int)
# kiln export checked_div(float, float)
def checked_div(a, b):
    if b == 0:
        raise ValueError("division by zero requested", a)
    return a / b


# kiln export floordiv_ov(int, int)
# kiln export floordiv_ov(float, float)
def floordiv_ov(a, b):
    return a // b


# kiln export describe(int)
# kiln export describe(float)
def describe(x):
    return (x, x > 0)


# Not exported: no annotations and no export comment.
def hidden(x):
    return x + 1


# kiln export uses_hidden(int)
def uses_hidden(x):
    return hidden(x) * 2


#pythran export spaced( int ,float )
def spaced(a, b):
    return a - b
