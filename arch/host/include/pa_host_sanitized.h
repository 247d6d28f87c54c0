/* SPDX-License-Identifier: MIT */
/*
 * PA_HOST_SANITIZED: the host port is built with AddressSanitizer or
 * ThreadSanitizer, which must see every memory access, so the port's asm
 * accesses (pa_port_inline.h's single-writer updates, port.c's MOVNTI
 * mem_map fill) give way to plain C ones.
 */
#ifndef PA_HOST_SANITIZED_H
#define PA_HOST_SANITIZED_H

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define PA_HOST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define PA_HOST_SANITIZED 1
#endif
#endif

#endif /* PA_HOST_SANITIZED_H */
