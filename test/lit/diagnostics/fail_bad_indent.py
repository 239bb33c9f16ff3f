# RUN: %verify-diags %s

def f(x: int) -> int:
    if x:
        x = 1
    # expected-error {{unindent does not match any outer indentation level}}
      return x
