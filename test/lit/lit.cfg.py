# lit configuration for Kiln: every layer's FileCheck tests.
import os
import lit.formats

config.name = "kiln"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".py", ".kir"]
config.excludes = ["lit.cfg.py", "lit.site.cfg.py", "Inputs",
                   # helper scripts of the suite, not tests
                   "verify_diags.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.kiln_build_dir, "test", "lit")

config.environment["PATH"] = os.pathsep.join(
    [config.kiln_bin_dir, config.llvm_tools_dir, config.environment.get("PATH", "")])
config.substitutions.append(("%kiln-opt", os.path.join(config.kiln_bin_dir, "kiln-opt")))
config.substitutions.append(("%kiln", os.path.join(config.kiln_bin_dir, "kiln")))
config.substitutions.append(("%FileCheck", os.path.join(config.llvm_tools_dir, "FileCheck")))
config.substitutions.append(("%not", os.path.join(config.llvm_tools_dir, "not")))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%verify-diags", config.python_executable + " " +
                             os.path.join(config.kiln_source_dir, "test", "lit", "verify_diags.py") +
                             " --kiln " + os.path.join(config.kiln_bin_dir, "kiln")))

# A sanitized build (tools/sanitize.sh): AddressSanitizer reserves terabytes
# of address space, so tests that limit it (`ulimit -v`) cannot run there.
if "ON" in getattr(config, "kiln_sanitize", ""):
    config.available_features.add("asan")
