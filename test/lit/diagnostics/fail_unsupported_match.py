# RUN: %verify-diags %s

def f(n: int) -> int:
    # expected-error:5 {{`match` statements are not supported by Kiln yet}}
    match n:
        case 0:
            return 1
    return n
