"""Build Kiln modules with setuptools.

In ``setup.py``::

    from setuptools import setup
    from kiln.setuptools import KilnExtension, build_ext

    setup(
        ext_modules=[KilnExtension("mypkg.kernels", sources=["src/kernels.py"], opt_level=3)],
        cmdclass={"build_ext": build_ext},
    )

and in ``setup.cfg`` (so that ``pip wheel`` tags the wheel abi3)::

    [bdist_wheel]
    py_limited_api = cp311

``python3 setup.py build_ext --inplace``, ``pip install --no-build-isolation .``
and ``pip wheel --no-build-isolation .`` then compile each ``KilnExtension``
with the ``kiln`` driver into ``NAME.abi3.so``, with its type stub
``NAME.pyi`` next to it. Other extensions of the same project are built by
setuptools as usual. The compiler is ``kiln.compiler_path()``: $KILN_BIN,
the ``kiln`` installed with this package, ``kiln`` on PATH.

A Kiln diagnostic is printed as the compiler printed it (``file:line:col:
error: ...``) and fails the build.
"""
import os
import subprocess
import sys

from setuptools import Extension
from setuptools.command.build_ext import build_ext as _build_ext
from distutils import log  # setuptools' own distutils once setuptools is imported

try:  # distutils' errors, as setuptools reports them
    from setuptools.errors import CompileError
except ImportError:  # setuptools < 59
    from distutils.errors import CompileError

from kiln import compiler_path

__all__ = ["KilnExtension", "build_ext", "bdist_wheel", "cmdclass"]


class KilnExtension(Extension):
    """An extension module compiled by Kiln from one annotated ``.py`` file.

    ``name`` is the dotted import name (``"pkg.kernels"``); ``sources`` holds
    exactly one ``.py`` file. ``opt_level`` is 0 to 3 (``-O``), ``unchecked``
    removes bounds checks (``--unchecked``), ``stub=False`` skips the ``.pyi``,
    ``target_cpu`` is an LLVM CPU name (default: the building machine's), and
    ``kiln_args`` are more ``kiln compile`` options. ``depends`` lists more
    files whose change rebuilds the module.
    """

    def __init__(self, name, sources, opt_level=2, unchecked=False, stub=True,
                 target_cpu=None, kiln_args=(), **kw):
        if isinstance(sources, str):
            sources = [sources]
        sources = list(sources)
        if len(sources) != 1 or not str(sources[0]).endswith(".py"):
            raise ValueError("KilnExtension(%r): sources must be exactly one .py file, got %r"
                             % (name, sources))
        if opt_level not in (0, 1, 2, 3):
            raise ValueError("KilnExtension(%r): opt_level must be 0, 1, 2 or 3" % (name,))
        kw.setdefault("py_limited_api", True)  # NAME.abi3.so: CPython >= 3.11
        super().__init__(name, [str(s) for s in sources], **kw)
        self.opt_level = opt_level
        self.unchecked = unchecked
        self.stub = stub
        self.target_cpu = target_cpu
        self.kiln_args = list(kiln_args)


def _stub_path(module_path):
    """NAME.pyi next to NAME.abi3.so (or NAME.cpython-311-....so)."""
    d, f = os.path.split(module_path)
    return os.path.join(d, f.split(".")[0] + ".pyi")


def _newer(sources, target):
    if not os.path.exists(target):
        return True
    t = os.path.getmtime(target)
    return any(os.path.getmtime(s) > t for s in sources if os.path.exists(s))


class build_ext(_build_ext):
    """setuptools' build_ext that also compiles ``KilnExtension`` modules."""

    def build_extension(self, ext):
        if not isinstance(ext, KilnExtension):
            return super().build_extension(ext)
        source = ext.sources[0]
        output = self.get_ext_fullpath(ext.name)
        stub = _stub_path(output) if ext.stub else None
        kiln = compiler_path()
        deps = [source, kiln] + list(ext.depends)
        if not self.force and not _newer(deps, output) and (stub is None or not _newer(deps, stub)):
            log.info("skipping Kiln module '%s' (up to date)", ext.name)
            return
        os.makedirs(os.path.dirname(output) or ".", exist_ok=True)
        cmd = [kiln, "compile", source, "-o", output, "-O%d" % ext.opt_level]
        if stub:
            cmd.append("--pyi=" + stub)
        if ext.unchecked:
            cmd.append("--unchecked")
        if ext.target_cpu:
            cmd.append("--target-cpu=" + ext.target_cpu)
        cmd += ext.kiln_args
        log.info("compiling Kiln module '%s' from %s", ext.name, source)
        sys.stdout.flush()
        sys.stderr.flush()
        # The compiler's diagnostics go straight to the build's stderr.
        proc = subprocess.run(cmd)
        if proc.returncode != 0:
            raise CompileError("kiln failed to compile '%s' from %s (exit code %d)"
                               % (ext.name, source, proc.returncode))

    def copy_extensions_to_source(self):
        # --inplace: setuptools copies the modules; copy their stubs too.
        super().copy_extensions_to_source()
        build_py = self.get_finalized_command("build_py")
        for ext in self.extensions:
            if not (isinstance(ext, KilnExtension) and ext.stub):
                continue
            parts = ext.name.split(".")
            package_dir = build_py.get_package_dir(".".join(parts[:-1]))
            inplace_flag, self.inplace = self.inplace, 0
            try:  # where build_extension wrote it: the build tree
                regular = _stub_path(self.get_ext_fullpath(ext.name))
            finally:
                self.inplace = inplace_flag
            inplace = os.path.join(package_dir, os.path.basename(regular))
            if os.path.exists(regular):
                self.copy_file(regular, inplace, level=self.verbose)

    def get_outputs(self):
        outputs = super().get_outputs()
        for ext in self.extensions:
            if isinstance(ext, KilnExtension) and ext.stub:
                outputs.append(_stub_path(self.get_ext_fullpath(ext.name)))
        return outputs


try:
    try:
        from setuptools.command.bdist_wheel import bdist_wheel as _bdist_wheel
    except ImportError:
        from wheel.bdist_wheel import bdist_wheel as _bdist_wheel
except ImportError:  # no wheel support here: only build_ext
    bdist_wheel = None
else:
    class bdist_wheel(_bdist_wheel):
        """bdist_wheel that tags wheels with Kiln modules ``cp311-abi3``
        (Kiln modules use the stable ABI of CPython 3.11) unless
        ``py_limited_api`` is given."""

        def finalize_options(self):
            if not self.py_limited_api and any(
                    isinstance(e, KilnExtension) for e in (self.distribution.ext_modules or [])):
                self.py_limited_api = "cp311"
            super().finalize_options()


def cmdclass():
    """The commands to pass as ``setup(cmdclass=kiln.setuptools.cmdclass())``."""
    cmds = {"build_ext": build_ext}
    if bdist_wheel is not None:
        cmds["bdist_wheel"] = bdist_wheel
    return cmds
