#include <setjmp.h>
#include <stddef.h>
#include "CGLPKGuard.h"

static __thread jmp_buf *guard_target = NULL;
static __thread unsigned long guard_generation = 0;

static void guard_hook(void *info) {
    (void)info;
    if (guard_target != NULL) longjmp(*guard_target, 1);
}

unsigned long sparsemtl_glpk_environment_generation(void) { return guard_generation; }

/* Runs body(problem, parameters) with GLPK's error hook pointing here. */
#define GUARDED(call)                                                        \
    jmp_buf here;                                                            \
    jmp_buf *saved = guard_target;                                           \
    if (setjmp(here) != 0) {                                                 \
        guard_target = saved;                                                \
        glp_error_hook(NULL, NULL);                                          \
        glp_free_env();                                                      \
        guard_generation += 1;                                               \
        return SPARSEMTL_GLPK_ABORTED;                                       \
    }                                                                        \
    guard_target = &here;                                                    \
    glp_error_hook(guard_hook, NULL);                                        \
    int code = call;                                                         \
    glp_error_hook(NULL, NULL);                                              \
    guard_target = saved;                                                    \
    return code;

int sparsemtl_guarded_simplex(glp_prob *problem, const glp_smcp *parameters) {
    GUARDED(glp_simplex(problem, parameters))
}

int sparsemtl_guarded_intopt(glp_prob *problem, const glp_iocp *parameters) {
    GUARDED(glp_intopt(problem, parameters))
}
