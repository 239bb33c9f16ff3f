# RUN: %verify-diags %s
# The body indents with a tab on one line and spaces on the next.

def f(x: int) -> int:
	y = x
    # expected-error {{inconsistent use of tabs and spaces in indentation}}
        return y
