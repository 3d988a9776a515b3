/* GLPK calls abort() on an internal error (a failed assertion in its simplex on an ill-conditioned
 * LP, for one). These wrappers catch that through glp_error_hook and longjmp, free GLPK's
 * environment of the calling thread (every problem of the thread is then gone), and return
 * SPARSEMTL_GLPK_ABORTED instead, so the solver can report what it has instead of crashing. */
#ifndef CGLPKGUARD_H
#define CGLPKGUARD_H

#include <glpk.h>

/* The return code of a call that GLPK ended with an internal error. */
#define SPARSEMTL_GLPK_ABORTED (-1000)

/* glp_simplex, or SPARSEMTL_GLPK_ABORTED. */
int sparsemtl_guarded_simplex(glp_prob *problem, const glp_smcp *parameters);

/* glp_intopt, or SPARSEMTL_GLPK_ABORTED. */
int sparsemtl_guarded_intopt(glp_prob *problem, const glp_iocp *parameters);

/* How many times GLPK's environment of this thread was freed after an internal error: a problem
 * created before the last one no longer exists (and must not be deleted). */
unsigned long sparsemtl_glpk_environment_generation(void);

#endif
