// OpenBLAS's cblas.h (found through pkg-config `openblas`) and LAPACKE from liblapacke-dev,
// which Debian links against the same OpenBLAS.
#include <cblas.h>
#include <lapacke.h>
