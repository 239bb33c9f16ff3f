# vim: set fileencoding=cp1252 :
# RUN: %verify-diags %s
# A PEP 263 declaration of an encoding Kiln does not decode is reported at
# the encoding's name (UTF-8 and Latin-1 are decoded; the file is not read
# as something it is not).
# expected-error@1:25 {{source encoding `cp1252` is not supported by Kiln yet; save the file as UTF-8 (Latin-1 is understood too)}}

def f(x: float) -> float:
    return x
