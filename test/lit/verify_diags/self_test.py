# The expectation checker itself: each of these must be rejected for the
# reason given, and a correct file accepted.
#
# RUN: %verify-diags %S/Inputs/fail_ok.py
#
# RUN: %not %verify-diags %S/Inputs/fail_wrong_column.py | %FileCheck %s --check-prefix=COL
# COL: missing: {{.*}}fail_wrong_column.py:2: expected-error at line 3, column 13 {{[{][{]}}name `y` is not defined{{[}][}]}}
# COL: unexpected diagnostic: {{.*}}fail_wrong_column.py:3:16: error: name `y` is not defined
#
# RUN: %not %verify-diags %S/Inputs/fail_wrong_line.py | %FileCheck %s --check-prefix=LINE
# LINE: missing: {{.*}}expected-error at line 4
#
# RUN: %not %verify-diags %S/Inputs/fail_unexpected_extra.py | %FileCheck %s --check-prefix=EXTRA
# EXTRA-NOT: missing:
# EXTRA: unexpected diagnostic: {{.*}}:3:20: error: name `z` is not defined
#
# RUN: %not %verify-diags %S/Inputs/no_fail_prefix.py | %FileCheck %s --check-prefix=NAME
# NAME: file expects an error, so its name must start with fail_
#
# RUN: %not %verify-diags %S/Inputs/fail_expects_nothing.py | %FileCheck %s --check-prefix=NOTHING
# NOTHING: file is named fail_* but expects no error
#
# RUN: %not %verify-diags %S/Inputs/fail_malformed.py | %FileCheck %s --check-prefix=MALFORMED
# MALFORMED: malformed expectation
