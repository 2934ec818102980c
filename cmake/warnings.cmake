# One warnings helper for our own targets only (never for dependencies).
function(lokalmat_set_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual
    # determinism: no fused multiply-add contraction, whatever the compiler default
    -ffp-contract=off)
endfunction()
