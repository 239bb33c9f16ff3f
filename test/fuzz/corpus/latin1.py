# -*- coding: latin-1 -*-
def f(x: float) -> float:
    café = x
    return café
