/* SPDX-License-Identifier: MIT */
/*
 * Error codes and log levels.  Functions return 0 or a negative code from
 * this list (the values are Linux's errno numbers) and log one line saying
 * what was wrong.
 */
#ifndef PAGEALLOC_ERRNO_H
#define PAGEALLOC_ERRNO_H

#define PA_ENOENT 2      /* no such node, zone or tunable */
#define PA_ENOMEM 12     /* out of memory (boot-time or metadata) */
#define PA_EFAULT 14     /* address outside every zone */
#define PA_EBUSY 16      /* already initialised / not allowed after pa_init() */
#define PA_EEXIST 17     /* range overlaps one already added */
#define PA_EINVAL 22     /* invalid argument */
#define PA_ENOSPC 28     /* a fixed-size table or caller buffer is full */
#define PA_ERANGE 34     /* value outside its valid range */
#define PA_EOPNOTSUPP 95 /* feature disabled in this configuration */
#define PA_EALREADY 114  /* already in the requested state (CPU online/offline) */
#define PA_EUCLEAN 117   /* the verifier found an inconsistency */
#define PA_ENODEV 19     /* called before pa_init() */

/* Console levels handed to pa_port_log(), as Linux's KERN_* levels. */
#define PA_LOG_ERR 3
#define PA_LOG_WARNING 4
#define PA_LOG_NOTICE 5
#define PA_LOG_INFO 6
#define PA_LOG_DEBUG 7

/**
 * pa_strerror - the name of an error code.
 * @err: a negative code returned by the library (or 0).
 *
 * Context: any.
 * Return: a static string such as "EINVAL"; "E?" for an unknown code.
 */
const char *pa_strerror(int err);

#endif /* PAGEALLOC_ERRNO_H */
