# RUN: %verify-diags %s
# No parameter is annotated and no export comment names the function.

# expected-error@* {{exports no function: annotate every parameter of a top-level function, or add a `# kiln export name(types)` comment}}
def helper(x):
    return x
