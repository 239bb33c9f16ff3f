"""Build-system integration, from an installed Kiln.

`cmake --install` puts Kiln under a temporary prefix, which is then moved
(the install must be relocatable). Each project in examples/ is copied to a
temporary directory and built against that prefix with its own build tool --
CMake (Makefiles and Ninja), setuptools (build_ext --inplace, pip wheel, pip
install) and plain Make -- then imported and called. Each checks that a
change to the source rebuilds the module (and only it), that a Kiln
diagnostic reaches the build's output with its `file:line:col` and fails
only its target, and that `python3 -m kiln` runs the installed driver.

The build directory is $KILN_BUILD_DIR (default: build/ of this checkout);
it must be built. The prefix's `kiln` is used everywhere: $KILN_BIN is
removed from the environment of every build.
"""
import ast
import math
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
PYTHON = sys.executable

DIAG = r"(?P<path>\S*{name}):(?P<line>\d+):(?P<col>\d+): error: "


def run(cmd, env=None, cwd=None, timeout=300):
    """Runs `cmd`; stdout and stderr together in `.out`."""
    proc = subprocess.run([str(c) for c in cmd], env=env, cwd=cwd, timeout=timeout,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, encoding="utf-8", errors="replace")
    proc.out = proc.stdout
    return proc


def ok(proc):
    assert proc.returncode == 0, f"{' '.join(map(str, proc.args))} failed:\n{proc.out}"
    return proc


def make_newer(path, than):
    """Gives `path` an mtime after every file in `than` (at least 1 ms)."""
    latest = max(os.stat(p).st_mtime_ns for p in than)
    now = os.stat(path).st_mtime_ns
    if now <= latest:
        os.utime(path, ns=(latest + 1_000_000, latest + 1_000_000))


def edit(path, add, outputs):
    """Appends `add` to `path`, making it newer than `outputs`."""
    with open(path, "a") as f:
        f.write(add)
    make_newer(path, outputs)


def mtimes(paths):
    return [os.stat(p).st_mtime_ns for p in paths]


def stub_defs(pyi):
    """The function names a .pyi declares (and it must parse as Python)."""
    tree = ast.parse(Path(pyi).read_text())
    return sorted({n.name for n in tree.body if isinstance(n, ast.FunctionDef)})


class Install:
    def __init__(self, prefix):
        self.prefix = prefix
        self.kiln = prefix / "bin" / "kiln"
        self.runtime = prefix / "lib" / "kiln" / "libkilnrt.a"
        found = sorted(prefix.glob("lib/python3*/*-packages/kiln/__init__.py"))
        assert found, f"no `kiln` Python package under {prefix}"
        self.pythondir = found[0].parent.parent

    def env(self, pythonpath=(), **extra):
        """The environment of a build: no KILN_* or CMake search variables
        of the test run, the installed Python package importable."""
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("KILN_") and k not in ("CMAKE_PREFIX_PATH", "Kiln_DIR",
                                                            "PYTHONPATH", "MAKEFLAGS", "MFLAGS")}
        env["PYTHONPATH"] = os.pathsep.join(map(str, [*pythonpath, self.pythondir]))
        env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
        env["PIP_NO_CACHE_DIR"] = "1"
        env.update(extra)
        return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    build = Path(os.environ.get("KILN_BUILD_DIR") or REPO / "build")
    if not (build / "cmake_install.cmake").is_file():
        pytest.fail(f"{build} is not a configured Kiln build directory (set KILN_BUILD_DIR)",
                    pytrace=False)
    base = tmp_path_factory.mktemp("kiln-install")
    ok(run(["cmake", "--install", build, "--prefix", base / "stage"]))
    # Relocatable: nothing may remember where it was installed.
    (base / "stage").rename(base / "prefix")
    inst = Install(base / "prefix")
    for path in (inst.kiln, inst.prefix / "bin" / "kiln-opt", inst.runtime,
                 inst.prefix / "include" / "kiln" / "runtime.h",
                 inst.prefix / "lib" / "cmake" / "Kiln" / "KilnConfig.cmake",
                 inst.prefix / "lib" / "cmake" / "Kiln" / "KilnConfigVersion.cmake",
                 inst.pythondir / "kiln" / "setuptools.py"):
        assert path.exists(), f"`cmake --install` did not install {path}"
    return inst


def copy_example(name, tmp_path):
    dst = tmp_path / name
    shutil.copytree(EXAMPLES / name, dst,
                    ignore=shutil.ignore_patterns("build", "dist", "*.so", "*.pyi", "*.d",
                                                  "__pycache__", "*.egg-info"))
    return dst


def call(env, code, cwd=None):
    return ok(run([PYTHON, "-c", code], env=env, cwd=cwd)).out.strip()


# ---- CMake -------------------------------------------------------------------

GENERATORS = ["Unix Makefiles", "Ninja"]


@pytest.mark.parametrize("generator", GENERATORS)
def test_cmake_project(installed, tmp_path, generator):
    if generator == "Ninja" and not shutil.which("ninja"):
        pytest.skip("ninja is not installed")
    src = copy_example("cmake-project", tmp_path)
    bld = tmp_path / "build"
    env = installed.env()
    ok(run(["cmake", "-S", src, "-B", bld, "-G", generator,
            f"-DCMAKE_PREFIX_PATH={installed.prefix}"], env=env))
    out = ok(run(["cmake", "--build", bld], env=env)).out
    assert "Compiling Kiln module kernels" in out and "Compiling Kiln module geometry" in out
    kernels = [bld / "kernels.abi3.so", bld / "kernels.pyi"]
    geometry = [bld / "python" / "geometry.abi3.so", bld / "python" / "geometry.pyi"]
    for p in kernels + geometry:
        assert p.is_file(), f"{p} was not built"
    assert stub_defs(bld / "kernels.pyi") == ["collatz_len", "gcd"]
    assert "def circle(r: float, scale: float = ...) -> tuple[float, float]: ..." in \
        (bld / "python" / "geometry.pyi").read_text()

    pyenv = installed.env(pythonpath=[bld, bld / "python"])
    got = call(pyenv, "import kernels, geometry; print(kernels.gcd(12, 18), "
                      "kernels.collatz_len(27), geometry.hypot(3.0, 4.0), *geometry.circle(1.0), "
                      "kernels.__file__)")
    g, c, h, circ, area, where = got.split()
    assert (int(g), int(c), float(h)) == (6, 112, 5.0)
    assert math.isclose(float(circ), 2 * math.pi) and math.isclose(float(area), math.pi)
    assert where.endswith("kernels.abi3.so"), where

    # Nothing changed: nothing rebuilds.
    before = mtimes(kernels + geometry)
    out = ok(run(["cmake", "--build", bld], env=env)).out
    assert "Compiling Kiln" not in out, out
    assert mtimes(kernels + geometry) == before

    # The source changes: that module (and its stub) rebuild, the other does not.
    edit(src / "kernels.py", "\n\ndef triple(n: int) -> int:\n    return 3 * n\n", kernels)
    out = ok(run(["cmake", "--build", bld], env=env)).out
    assert "Compiling Kiln module kernels" in out and "module geometry" not in out, out
    assert stub_defs(bld / "kernels.pyi") == ["collatz_len", "gcd", "triple"]
    assert call(pyenv, "import kernels; print(kernels.triple(14))") == "42"

    # The runtime library is known only from kiln's dependency file (DEPFILE):
    # a newer one rebuilds every module.
    make_newer(installed.runtime, kernels + geometry)
    out = ok(run(["cmake", "--build", bld], env=env)).out
    assert "Compiling Kiln module kernels" in out and "Compiling Kiln module geometry" in out, out

    # kiln_install_module: cmake --install.
    ok(run(["cmake", "--install", bld, "--prefix", tmp_path / "inst"], env=env))
    for name in ("kernels.abi3.so", "kernels.pyi", "geometry.abi3.so", "geometry.pyi"):
        assert (tmp_path / "inst" / "python" / name).is_file(), name
    assert call(installed.env(pythonpath=[tmp_path / "inst" / "python"]),
                "import geometry; print(geometry.hypot(6.0, 8.0))") == "10.0"

    # A Kiln error fails its target only: with -k the other module still builds,
    # and the diagnostic shows in the build output with file:line:col.
    bad_line = len((src / "src" / "geometry.py").read_text().splitlines()) + 4
    edit(src / "src" / "geometry.py", "\n\ndef broken(x: int) -> int:\n    return x + y\n",
         kernels + geometry)
    edit(src / "kernels.py", "\n\ndef quadruple(n: int) -> int:\n    return 4 * n\n",
         kernels + geometry)
    keep_going = ["--", "-k"] if generator == "Unix Makefiles" else ["--", "-k", "0"]
    proc = run(["cmake", "--build", bld, *keep_going], env=env)
    assert proc.returncode != 0, proc.out
    m = re.search(DIAG.format(name=re.escape("src/geometry.py")), proc.out)
    assert m, f"no `geometry.py:line:col: error:` in the build output:\n{proc.out}"
    assert Path(m["path"]) == src / "src" / "geometry.py"
    assert (int(m["line"]), int(m["col"])) == (bad_line, 16), m.group(0)
    assert "return x + y" in proc.out  # the source line, under it the caret
    assert call(pyenv, "import kernels; print(kernels.quadruple(5))") == "20"


def test_find_package_without_kiln(tmp_path):
    """Without Kiln, find_package(Kiln REQUIRED) fails with CMake's usual message."""
    src = copy_example("cmake-project", tmp_path)
    env = {k: v for k, v in os.environ.items()
           if k not in ("CMAKE_PREFIX_PATH", "Kiln_DIR", "Kiln_ROOT", "KILN_ROOT")}
    # CMake also looks next to the programs on PATH: keep `kiln` off it.
    env["PATH"] = os.pathsep.join(d for d in env.get("PATH", "").split(os.pathsep)
                                  if d and not os.path.exists(os.path.join(d, "kiln")))
    proc = run(["cmake", "-S", src, "-B", tmp_path / "build",
                # not an install in the system prefixes (/usr/local) either
                "-DCMAKE_FIND_USE_CMAKE_SYSTEM_PATH=OFF",
                "-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF",
                "-DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF"], env=env)
    assert proc.returncode != 0, proc.out
    assert 'Could not find a package configuration file provided by "Kiln"' in proc.out, proc.out
    assert "KilnConfig.cmake" in proc.out and "Kiln_DIR" in proc.out, proc.out
    assert "kiln_add_module" not in proc.out, proc.out  # stopped at find_package


# ---- setuptools ------------------------------------------------------------------

def test_setuptools_project(installed, tmp_path):
    src = copy_example("setuptools-project", tmp_path)
    env = installed.env()

    # build_ext --inplace: the module and its stub land in the package.
    out = ok(run([PYTHON, "setup.py", "build_ext", "--inplace"], env=env, cwd=src)).out
    mod, stub = src / "kstats" / "_native.abi3.so", src / "kstats" / "_native.pyi"
    assert mod.is_file() and stub.is_file(), out
    assert stub_defs(stub) == ["mean_of_range", "std_of_range"]
    pyenv = installed.env(pythonpath=[src])
    got = call(pyenv, "import kstats; s = kstats.summary(0, 10); print(s['mean'], s['std'], "
                      "kstats._native.__file__)")
    mean, std, where = got.split()
    assert float(mean) == 4.5 and math.isclose(float(std), math.sqrt(8.25))
    assert where.endswith("_native.abi3.so")

    # Up to date: build_ext does not run kiln again.
    before = mtimes([src / "build"])  # the build tree the module was compiled into
    built = next((src / "build").glob("lib.*/kstats/_native.abi3.so"))
    first = built.stat().st_mtime_ns
    ok(run([PYTHON, "setup.py", "build_ext", "--inplace"], env=env, cwd=src))
    assert built.stat().st_mtime_ns == first and mtimes([src / "build"]) == before

    # pip wheel, from a fresh copy: an abi3 wheel with the module and its stub,
    # not the kernel source.
    fresh = copy_example("setuptools-project", tmp_path / "fresh")
    ok(run([PYTHON, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "--no-index",
            "-w", tmp_path / "dist", "."], env=env, cwd=fresh))
    wheels = list((tmp_path / "dist").glob("*.whl"))
    assert len(wheels) == 1 and re.fullmatch(r"kstats-0\.1\.0-cp311-abi3-linux_\w+\.whl",
                                             wheels[0].name), wheels
    names = zipfile.ZipFile(wheels[0]).namelist()
    for want in ("kstats/__init__.py", "kstats/_native.abi3.so", "kstats/_native.pyi"):
        assert want in names, names
    assert not any(n.endswith("native.py") for n in names), names

    # ... which installs and imports anywhere.
    site = tmp_path / "site"
    ok(run([PYTHON, "-m", "pip", "install", "--no-deps", "--no-index", "--target", site,
            wheels[0]], env=env))
    assert call(installed.env(pythonpath=[site]),
                "import kstats; print(kstats.mean_of_range(1, 4))", cwd=tmp_path) == "2.0"

    # pip install straight from a project never built.
    fresh = copy_example("setuptools-project", tmp_path / "fresh2")
    site2 = tmp_path / "site2"
    ok(run([PYTHON, "-m", "pip", "install", "--no-build-isolation", "--no-deps", "--no-index",
            "--target", site2, "."], env=env, cwd=fresh))
    assert (site2 / "kstats" / "_native.abi3.so").is_file()
    assert (site2 / "kstats" / "_native.pyi").is_file()

    # A change rebuilds; an error fails the build with file:line:col.
    edit(src / "kernels" / "native.py", "\n\ndef bad(n: int) -> int:\n    return n + m\n", [built])
    proc = run([PYTHON, "setup.py", "build_ext", "--inplace"], env=env, cwd=src)
    assert proc.returncode != 0, proc.out
    m = re.search(DIAG.format(name=re.escape("native.py")), proc.out)
    assert m, proc.out
    assert int(m["line"]) == len((src / "kernels" / "native.py").read_text().splitlines())
    assert "kiln failed to compile 'kstats._native'" in proc.out, proc.out


# ---- Make --------------------------------------------------------------------------

def test_make_project(installed, tmp_path):
    src = copy_example("make-project", tmp_path)
    make = ["make", "-C", src, f"KILN={installed.kiln}", f"PYTHON={PYTHON}"]
    env = installed.env(pythonpath=[src])
    out = ok(run([*make, "check"], env=env)).out
    assert "285 2.5" in out, out
    outputs = [src / "kernels.abi3.so", src / "kernels.pyi"]
    dep = (src / "kernels.d").read_text()
    assert dep.startswith("kernels.abi3.so kernels.pyi: kernels.py "), dep
    assert str(installed.runtime) in dep, dep

    # Up to date ...
    assert run([*make, "-q"], env=env).returncode == 0
    # ... until the runtime library (known only from kernels.d) is newer,
    make_newer(installed.runtime, outputs)
    assert run([*make, "-q"], env=env).returncode == 1
    ok(run(make, env=env))
    assert run([*make, "-q"], env=env).returncode == 0
    # or the source changes.
    edit(src / "kernels.py", "\n\ndef neg(x: float) -> float:\n    return -x\n", outputs)
    assert "kiln" in ok(run(make, env=env)).out
    assert call(env, "import kernels; print(kernels.neg(2.5))", cwd=tmp_path) == "-2.5"
    assert "neg" in stub_defs(src / "kernels.pyi")

    # An error: make fails with the diagnostic and keeps the old module.
    edit(src / "kernels.py", "\n\ndef bad(x: int) -> int:\n    return x +\n", outputs)
    proc = run(make, env=env)
    assert proc.returncode != 0
    assert re.search(r"(^|\s)kernels\.py:\d+:\d+: error: ", proc.out, re.M), proc.out
    assert call(env, "import kernels; print(kernels.neg(1.0))", cwd=tmp_path) == "-1.0"


# ---- python3 -m kiln -------------------------------------------------------------------

def test_python_m_kiln(installed, tmp_path):
    """`python3 -m kiln` runs the driver installed next to the package, with no
    kiln on PATH and no KILN_BIN."""
    env = installed.env(PATH=os.pathsep.join(
        d for d in os.environ.get("PATH", "").split(os.pathsep)
        if d and not os.path.exists(os.path.join(d, "kiln"))))
    assert ok(run([PYTHON, "-m", "kiln", "--version"], env=env, cwd=tmp_path)).out.startswith("kiln ")
    src = EXAMPLES / "make-project" / "kernels.py"
    ok(run([PYTHON, "-m", "kiln", "compile", src, "-o", tmp_path / "kernels.abi3.so", "-O1"],
           env=env, cwd=tmp_path))
    stub = ok(run([PYTHON, "-m", "kiln", "compile", src, "--emit=pyi", "-o", "-"],
                  env=env, cwd=tmp_path)).out
    assert "def mean3(a: float, b: float, c: float) -> float: ..." in stub, stub
    assert call(installed.env(pythonpath=[tmp_path]),
                "import kernels; print(kernels.dot_range(4))", cwd=tmp_path) == "14"
    # kiln.compiler_path() is the installed compiler.
    got = call(env, "import kiln; print(kiln.compiler_path())", cwd=tmp_path)
    assert Path(got) == installed.kiln
    # Diagnostics and the exit code pass through.
    bad = tmp_path / "bad.py"
    bad.write_text("def f(n: int) -> int:\n    return q\n")
    proc = run([PYTHON, "-m", "kiln", "compile", bad], env=env, cwd=tmp_path)
    assert proc.returncode == 1 and f"{bad}:2:12: error: " in proc.out, proc.out
