#pythran export f(float64[:], int)
#pythran export f(int64[:], int)
def f(a, k):
    t = (a[0], k)
    for i, v in enumerate(a):
        if v > t[0]:
            t = (v, i)
        elif i == k:
            raise ValueError("bad", i)
    return t
