# KilnModule.cmake: build Kiln modules from CMake. Included by KilnConfig.cmake
# (`find_package(Kiln)`), which defines the imported executable Kiln::kiln.
#
#   kiln_add_module(<name> SOURCES <file.py>
#                   [OPT_LEVEL 0|1|2|3]        # default 2
#                   [UNCHECKED]                # kiln --unchecked: no bounds checks
#                   [OUTPUT_DIRECTORY <dir>]   # default: the current binary dir
#                   [TARGET_CPU <cpu>]         # default: the building machine's CPU
#                   [NO_STUB]                  # do not write <name>.pyi
#                   [EXCLUDE_FROM_ALL]
#                   [KILN_ARGS <arg>...])      # more `kiln compile` options
#
# compiles <file.py> into <dir>/<name>.abi3.so (importable as `import <name>`)
# and its type stub <dir>/<name>.pyi. <name> is an ordinary target, built by
# `all` unless EXCLUDE_FROM_ALL; it rebuilds when the source, the runtime
# library or the compiler changes (kiln writes a dependency file, read through
# add_custom_command(DEPFILE) by the Makefile and Ninja generators).
# The target's properties KILN_MODULE_FILE, KILN_STUB_FILE and KILN_SOURCE
# hold the paths.
#
#   kiln_install_module(<name> DESTINATION <dir> [COMPONENT <component>])
#
# installs the module (and its stub) with `cmake --install`.

include_guard(GLOBAL)
if(CMAKE_VERSION VERSION_LESS 3.20)
  message(FATAL_ERROR "Kiln's CMake package needs CMake 3.20 or newer (DEPFILE with the "
                      "Makefile generators); this is CMake ${CMAKE_VERSION}")
endif()
# Functions keep the policies in force where they are defined: make the
# DEPFILE rules the same whatever the including project asked for.
cmake_policy(PUSH)
cmake_policy(VERSION 3.20)

function(kiln_add_module name)
  cmake_parse_arguments(PARSE_ARGV 1 KILN
    "UNCHECKED;NO_STUB;EXCLUDE_FROM_ALL"
    "OPT_LEVEL;OUTPUT_DIRECTORY;TARGET_CPU"
    "SOURCES;KILN_ARGS")
  if(KILN_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "kiln_add_module(${name}): unknown arguments `${KILN_UNPARSED_ARGUMENTS}`")
  endif()
  if(NOT name MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "kiln_add_module(${name}): the module name must be a Python identifier "
                        "(it is the name of `import ${name}`)")
  endif()
  list(LENGTH KILN_SOURCES nsources)
  if(NOT nsources EQUAL 1)
    message(FATAL_ERROR "kiln_add_module(${name}): give exactly one file in SOURCES "
                        "(a Kiln module is compiled from one .py file)")
  endif()
  if(NOT DEFINED KILN_OPT_LEVEL)
    set(KILN_OPT_LEVEL 2)
  elseif(NOT KILN_OPT_LEVEL MATCHES "^[0-3]$")
    message(FATAL_ERROR "kiln_add_module(${name}): OPT_LEVEL must be 0, 1, 2 or 3, not `${KILN_OPT_LEVEL}`")
  endif()
  if(NOT TARGET Kiln::kiln)
    message(FATAL_ERROR "kiln_add_module(${name}): Kiln::kiln is not defined; call find_package(Kiln) first")
  endif()

  get_filename_component(src "${KILN_SOURCES}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(KILN_OUTPUT_DIRECTORY)
    get_filename_component(outdir "${KILN_OUTPUT_DIRECTORY}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  else()
    set(outdir "${CMAKE_CURRENT_BINARY_DIR}")
  endif()
  set(module "${outdir}/${name}.abi3.so")
  set(depfile "${CMAKE_CURRENT_BINARY_DIR}/CMakeFiles/${name}.kiln.d")
  set(outputs "${module}")
  set(args compile "${src}" -o "${module}" "-O${KILN_OPT_LEVEL}" -MD -MF "${depfile}")
  set(stub "")
  if(NOT KILN_NO_STUB)
    set(stub "${outdir}/${name}.pyi")
    list(APPEND outputs "${stub}")
    list(APPEND args "--pyi=${stub}")
  endif()
  if(KILN_UNCHECKED)
    list(APPEND args --unchecked)
  endif()
  if(KILN_TARGET_CPU)
    list(APPEND args "--target-cpu=${KILN_TARGET_CPU}")
  endif()
  list(APPEND args ${KILN_KILN_ARGS})

  file(RELATIVE_PATH shown "${CMAKE_SOURCE_DIR}" "${src}")
  file(MAKE_DIRECTORY "${outdir}")
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND Kiln::kiln ${args}
    DEPENDS "${src}" "$<TARGET_FILE:Kiln::kiln>"
    DEPFILE "${depfile}"
    COMMENT "Compiling Kiln module ${name} from ${shown}"
    VERBATIM)
  set(all ALL)
  if(KILN_EXCLUDE_FROM_ALL)
    set(all "")
  endif()
  add_custom_target(${name} ${all} DEPENDS ${outputs} SOURCES "${src}")
  set_target_properties(${name} PROPERTIES
    KILN_MODULE_FILE "${module}"
    KILN_STUB_FILE "${stub}"
    KILN_SOURCE "${src}")
endfunction()

function(kiln_install_module name)
  cmake_parse_arguments(PARSE_ARGV 1 KILN "" "DESTINATION;COMPONENT" "")
  if(KILN_UNPARSED_ARGUMENTS OR NOT KILN_DESTINATION)
    message(FATAL_ERROR "usage: kiln_install_module(<name> DESTINATION <dir> [COMPONENT <component>])")
  endif()
  if(NOT TARGET ${name})
    message(FATAL_ERROR "kiln_install_module(${name}): no target `${name}`; call kiln_add_module(${name} ...) first")
  endif()
  get_target_property(module ${name} KILN_MODULE_FILE)
  get_target_property(stub ${name} KILN_STUB_FILE)
  if(NOT module)
    message(FATAL_ERROR "kiln_install_module(${name}): `${name}` is not a Kiln module (made by kiln_add_module)")
  endif()
  set(component "")
  if(KILN_COMPONENT)
    set(component COMPONENT "${KILN_COMPONENT}")
  endif()
  install(PROGRAMS "${module}" DESTINATION "${KILN_DESTINATION}" ${component})
  if(stub)
    install(FILES "${stub}" DESTINATION "${KILN_DESTINATION}" ${component})
  endif()
endfunction()

cmake_policy(POP)
