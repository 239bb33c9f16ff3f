"""Builds the kstats package with its Kiln module.

    python3 setup.py build_ext --inplace
    pip wheel --no-build-isolation --no-deps -w dist .
    pip install --no-build-isolation .

`kiln` (the Python package) must be importable: it is installed with Kiln
(`cmake --install`), under <prefix>/lib/python3.11/dist-packages.
"""
from setuptools import setup

from kiln.setuptools import KilnExtension, build_ext

setup(
    packages=["kstats"],
    ext_modules=[
        # kernels/native.py -> kstats/_native.abi3.so (+ kstats/_native.pyi)
        KilnExtension("kstats._native", sources=["kernels/native.py"], opt_level=3),
    ],
    cmdclass={"build_ext": build_ext},
)
